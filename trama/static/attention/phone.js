// The antenna's phone with no connection: the signal form and a copy of her list load from the service worker's
// cache, a signal written offline waits on the phone (encrypted, phone-queue.js) and leaves when the connection
// returns. Any other account signed in on this browser finds nothing: what was kept is wiped.
"use strict";

(function () {
  const box = document.getElementById("telefono-antenna");
  if (!box || !("indexedDB" in window) || !window.crypto || !crypto.subtle) return;
  const phone = window.TramaPhone;

  if (box.dataset.antenna !== "1") {
    // Another kind of account is signed in on this browser: nothing of an antenna may stay on it.
    phone.wipe();
    return;
  }

  const text = box.dataset;
  const status = document.querySelector("[data-phone-status]");
  const form = document.querySelector("form[data-testid=signal-form]");
  const csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");

  function say(message) {
    if (!status) return;
    status.textContent = message;
    status.hidden = !message;
  }

  async function showWaiting(prefix) {
    const count = await phone.waiting();
    const waiting = count === 0 ? "" : count === 1 ? text.waitingOne : text.waitingMany.replace("__n__", String(count));
    say([prefix, waiting].filter(Boolean).join(" "));
  }

  // What a send did, said to her. The page and the service worker may both send when the connection returns (the
  // key makes it once): whichever finds the queue empty says nothing, so as not to hide what the other told her.
  let told = false;
  async function showOutcome(outcome) {
    const parts = [];
    if (outcome.sent) parts.push(outcome.sent === 1 ? text.sentOne : text.sentMany.replace("__n__", String(outcome.sent)));
    (outcome.refused || []).forEach((reason) => parts.push(`${text.refused} ${reason}`));
    if (parts.length) told = true;
    else if (told && (await phone.waiting()) === 0) return;
    return showWaiting(parts.join(" "));
  }

  async function sendWaiting() {
    if (!navigator.onLine) return showWaiting();
    return showOutcome(await phone.send());
  }

  // Online: the secret of this session's account (a different one wipes what another account kept), a fresh CSRF
  // token for later sends, and the pages to show with no connection, fetched into the cache now.
  async function prepare() {
    if (navigator.onLine) {
      try {
        const answer = await fetch(text.key, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
        if (answer.ok) await phone.adopt(await answer.json());
      } catch (error) {
        // No connection after all: the key kept from last time serves.
      }
    }
    if (!(await phone.currentKey())) return false;
    await phone.meta.put("send", text.send);
    if (csrfInput && navigator.onLine) await phone.meta.put("csrf", csrfInput.value);
    if (navigator.onLine && "caches" in window) {
      const assets = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (el) => el.href || el.src);
      filling = keepPages([text.form, text.list, ...assets]);
    }
    return true;
  }

  // The pages to show with no connection, each read whole before it takes the place of the copy kept: a connection
  // lost halfway (or a page that answers with the sign-in form) leaves last time's copy in place, never none.
  let filling = Promise.resolve();
  async function keepPages(addresses) {
    const cache = await caches.open(phone.CACHE);
    await Promise.all(
      addresses.map(async (address) => {
        try {
          const answer = await fetch(address, { credentials: "same-origin" });
          if (!answer.ok || answer.redirected) return;
          const body = await answer.blob();
          const headers = new Headers(answer.headers);
          headers.delete("Content-Encoding");
          headers.delete("Content-Length");
          await cache.put(address, new Response(body, { status: answer.status, statusText: answer.statusText, headers }));
        } catch (error) {
          // No connection after all: the copy kept last time serves.
        }
      })
    );
  }

  function newKey() {
    if (form && form.elements.client_key) form.elements.client_key.value = crypto.randomUUID();
  }

  async function keepListCopy() {
    const list = document.querySelector("[data-phone-list]");
    if (!list) return;
    const items = Array.from(list.querySelectorAll("[data-testid=my-signals] li"), (item) => ({
      title: item.querySelector("a").textContent.trim(),
      excerpt: (item.querySelector("[data-testid=signal-excerpt]") || {}).textContent || "",
      status: (item.querySelector("[data-testid=signal-status]") || {}).textContent || "",
    }));
    await phone.keepCopy(items);
  }

  async function showListCopy() {
    const holder = document.querySelector("[data-phone-copy]");
    if (!holder) return;
    const copy = await phone.readCopy().catch(() => null);
    const note = holder.querySelector("[data-testid=copy-date]");
    const list = holder.querySelector("ul");
    if (!copy) {
      note.textContent = text.noCopy;
    } else {
      const when = new Intl.DateTimeFormat(document.documentElement.lang || "it", { dateStyle: "long", timeStyle: "short" }).format(copy.at);
      note.textContent = text.copy.replace("__date__", when);
      if (!copy.items.length) list.insertAdjacentText("beforebegin", text.emptyCopy);
      copy.items.forEach((signal) => {
        const item = document.createElement("li");
        item.className = "list-group-item";
        const title = document.createElement("p");
        title.className = "mb-0 fw-semibold";
        title.textContent = signal.title;
        const excerpt = document.createElement("p");
        excerpt.className = "mb-0 small";
        excerpt.textContent = signal.excerpt.trim();
        const badge = document.createElement("span");
        badge.className = "badge bg-primary";
        badge.textContent = signal.status;
        item.append(title, excerpt, badge);
        list.append(item);
      });
    }
    holder.hidden = false;
  }

  if (form) {
    newKey();
    form.addEventListener("submit", async (event) => {
      if (navigator.onLine) return; // sent as usual; the key makes a second tap harmless
      event.preventDefault();
      if (!form.elements.text.value.trim()) {
        say(text.emptyText);
        form.elements.text.focus();
        return;
      }
      if (!(await phone.currentKey())) {
        say(text.notReady);
        return;
      }
      const fields = {};
      new FormData(form).forEach((value, name) => {
        if (name !== "csrfmiddlewaretoken") fields[name] = value;
      });
      await phone.enqueue(fields);
      form.reset();
      newKey();
      await showWaiting(text.saved);
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.ready.then((registration) => registration.sync && registration.sync.register("trama-segnalazioni")).catch(() => {});
      }
    });
  }

  // Leaving on purpose takes the phone's copies along: a signal not yet sent would be lost, so ask first.
  document.querySelectorAll(`form[action="${text.logout}"]`).forEach((logout) => {
    logout.addEventListener("submit", async (event) => {
      event.preventDefault();
      const count = await phone.waiting();
      if (count && !window.confirm(text.leave.replace("__n__", String(count)))) return;
      await phone.wipe();
      logout.submit();
    });
  });

  window.addEventListener("online", sendWaiting);
  window.addEventListener("offline", () => showWaiting());
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(text.worker, { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "trama-segnalazioni-inviate") showOutcome(event.data);
    });
  }

  prepare()
    .then(async (ready) => {
      if (!ready) return;
      if (navigator.onLine && !location.search) await keepListCopy();
      await showListCopy();
      await sendWaiting();
    })
    .finally(async () => {
      // Said on the page once what it kept is kept (the browser tests wait for it before cutting the network).
      await filling;
      box.dataset.ready = "1";
    });
})();
