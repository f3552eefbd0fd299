// "Ricevi avvisi su questo telefono": registers Trama's service worker and subscribes this browser to web push.
// Progressive: the button stays hidden where the browser has no PushManager or the server has no VAPID key.
"use strict";

(function () {
  const box = document.getElementById("avvisi-telefono");
  if (!box) return;
  const key = box.dataset.vapidKey;
  if (!key || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return;
  const button = box.querySelector("button");
  const status = box.querySelector("[role=status]");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;

  function bytesOf(base64url) {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  const registered = navigator.serviceWorker.register(box.dataset.worker, { scope: "/" });
  registered.then(() => {
    button.hidden = false;
  });

  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = box.dataset.waiting;
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        status.textContent = box.dataset.denied;
        return;
      }
      const registration = await registered;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytesOf(key) });
      const response = await fetch(box.dataset.subscribe, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(subscription.toJSON()),
      });
      const answer = await response.json();
      status.textContent = response.ok ? answer.message : answer.error;
    } catch (error) {
      status.textContent = box.dataset.failed;
    } finally {
      button.disabled = false;
    }
  });
})();
