// What the antenna's phone keeps while it has no connection, encrypted: the signals not yet sent and the copy of her
// list. Used by the page (phone.js) and by the service worker (/sw.js, for Background Sync). docs/security.md,
// "The antenna's phone", says what is stored and how it is protected.
"use strict";

(function (scope) {
  const DB_NAME = "trama-antenna";
  const CACHE = "trama-antenna";
  const encoder = new TextEncoder();

  function request(operation) {
    return new Promise((resolve, reject) => {
      operation.onsuccess = () => resolve(operation.result);
      operation.onerror = () => reject(operation.error);
    });
  }

  function database() {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore("queue", { keyPath: "key" });
      opening.result.createObjectStore("meta");
    };
    return request(opening);
  }

  async function inStore(name, mode, work) {
    const db = await database();
    try {
      const transaction = db.transaction(name, mode);
      const done = new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      const result = await request(work(transaction.objectStore(name)));
      await done;
      return result;
    } finally {
      db.close();
    }
  }

  const meta = {
    get: (name) => inStore("meta", "readonly", (store) => store.get(name)),
    put: (name, value) => inStore("meta", "readwrite", (store) => store.put(value, name)),
  };

  function bytesOfHex(hex) {
    return Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16));
  }

  // Everything the phone kept, gone: the key, the queue, the copy of the list, the cached pages.
  async function wipe() {
    if (typeof caches !== "undefined") await caches.delete(CACHE);
    await new Promise((resolve) => {
      const deleting = indexedDB.deleteDatabase(DB_NAME);
      deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
    });
  }

  // The secret the signed-in session received: if it names another key than the one kept, what was kept belongs
  // to another account (or to a password since changed) and is thrown away unread. The AES-GCM key is derived
  // with HKDF and kept non-extractable: scripts may use it, nobody can read it out.
  async function adopt(secret) {
    const kept = await meta.get("key");
    if (kept && kept.id === secret.id) return kept.key;
    if (kept) await wipe();
    const material = await crypto.subtle.importKey("raw", bytesOfHex(secret.key), "HKDF", false, ["deriveKey"]);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt: encoder.encode("trama"), info: encoder.encode("antenna phone AES-GCM") },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"]
    );
    await meta.put("key", { id: secret.id, key });
    return key;
  }

  async function currentKey() {
    const kept = await meta.get("key");
    return kept ? kept : null;
  }

  async function seal(object) {
    const kept = await currentKey();
    if (!kept) throw new Error("no key");
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(kept.id) },
      kept.key,
      encoder.encode(JSON.stringify(object))
    );
    return { iv, data };
  }

  async function unseal(sealed) {
    const kept = await currentKey();
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(kept.id) }, kept.key, sealed.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // A signal written with no connection: its fields, under the key its form chose, sealed.
  async function enqueue(fields) {
    const sealed = await seal(fields);
    await inStore("queue", "readwrite", (store) => store.put({ key: fields.client_key, iv: sealed.iv, data: sealed.data, at: Date.now() }));
  }

  function waiting() {
    return inStore("queue", "readonly", (store) => store.count()).catch(() => 0);
  }

  // Sends each kept signal; the server stores each key once (a resend answers 200), so two senders at once (the
  // page and the service worker) still make one signal. Sent or refused (400, 409): removed from the phone.
  // Anything else (no connection, signed out, server down): kept for the next try.
  async function send() {
    const outcome = { sent: 0, refused: [] };
    const kept = await currentKey();
    const address = await meta.get("send");
    const csrf = await meta.get("csrf");
    if (!kept || !address || !csrf) return outcome;
    const records = await inStore("queue", "readonly", (store) => store.getAll());
    for (const record of records.sort((a, b) => a.at - b.at)) {
      let fields;
      try {
        fields = await unseal(record);
      } catch (error) {
        await inStore("queue", "readwrite", (store) => store.delete(record.key));
        continue;
      }
      let response;
      try {
        response = await fetch(address, {
          method: "POST",
          credentials: "same-origin",
          redirect: "error",
          headers: { "X-CSRFToken": csrf, Accept: "application/json" },
          body: new URLSearchParams(fields),
        });
      } catch (error) {
        break;
      }
      if (response.ok || response.status === 400 || response.status === 409) {
        await inStore("queue", "readwrite", (store) => store.delete(record.key));
        if (response.ok) outcome.sent += 1;
        else outcome.refused.push((await response.json().catch(() => ({}))).message || "");
      } else {
        break;
      }
    }
    return outcome;
  }

  async function keepCopy(items) {
    await meta.put("copy", { at: Date.now(), ...(await seal(items)) });
  }

  async function readCopy() {
    const copy = await meta.get("copy");
    if (!copy || !(await currentKey())) return null;
    return { at: new Date(copy.at), items: await unseal(copy) };
  }

  scope.TramaPhone = { CACHE, adopt, currentKey, enqueue, keepCopy, meta, readCopy, send, waiting, wipe };
})(self);
