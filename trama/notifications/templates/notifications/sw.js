// Trama's service worker, the only one (scope: the whole site).
// 1. Web push: shows what a push says and opens its page (behind sign-in) when touched. The push carries only
//    generic words and a link: nothing about anyone reaches the lock screen.
// 2. The parts other apps registered (trama.extensions.service_worker_parts), as attention's antenna phone.
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = {};
  }
  const url = typeof message.url === "string" && new URL(message.url, self.location.origin).origin === self.location.origin ? message.url : "/notifiche/";
  event.waitUntil(
    self.registration.showNotification(message.title || "Trama", {
      body: message.body || "{{ fallback|escapejs }}",
      data: { url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url ? event.notification.data.url : "/notifiche/";
  event.waitUntil(self.clients.openWindow(url));
});

{% for part in parts %}
{% include part %}{% endfor %}
