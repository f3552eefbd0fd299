{% load static %}// The antenna's phone with no connection (attention/phone.js): her signal form and the page of her list come from
// the cache her pages filled, and signals kept on the phone leave on Background Sync (attention/phone-queue.js).
importScripts("{% static 'attention/phone-queue.js' %}");

// {address: what to show when the network does not answer}. The list's stand-in holds none of her signals: the
// page fills it from the encrypted copy on the phone.
const OFFLINE_PAGES = {
  "{% url 'attention:signal_create' %}": "{% url 'attention:signal_create' %}",
  "{% url 'attention:my_signals' %}": "{% url 'attention:my_signals' %}?copia=1",
};
const STATIC = "{% get_static_prefix %}";

function fromCache(address) {
  return caches.open(self.TramaPhone.CACHE).then((cache) => cache.match(address)).then((kept) => kept || Response.error());
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && Object.prototype.hasOwnProperty.call(OFFLINE_PAGES, url.pathname)) {
    event.respondWith(fetch(request).catch(() => fromCache(OFFLINE_PAGES[url.pathname])));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(fetch(request).catch(() => fromCache(request)));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "trama-segnalazioni") return;
  event.waitUntil(
    self.TramaPhone.send().then((outcome) =>
      self.clients
        .matchAll({ type: "window" })
        .then((windows) =>
          windows.forEach((client) => client.postMessage({ type: "trama-segnalazioni-inviate", sent: outcome.sent, refused: outcome.refused }))
        )
    )
  );
});
