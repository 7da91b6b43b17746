/* The grid inspector's offline app: a small hand-written service worker, served as /sw.js (scope
   "/") by inspections.views.offline.service_worker, which puts self.SC_CONFIG above this file.

   - app shell (CSS, JS, fonts, icons): precached, then cache-first;
   - the field page and the inspector's other /inspections/ pages: network-first with the cached
     copy as fallback (the field page, an app shell itself, is answered from the cache at once and
     refreshed behind);
   - the data file (tasks, entities, checklists): stale-while-revalidate, pages are told when it changed;
   - logging out (POST to the logout URL) deletes the caches of personal data and the synced history. */
"use strict";
var CONFIG = self.SC_CONFIG || {};
var VERSION = CONFIG.version || "dev";
var SHELL_CACHE = "sc-shell-" + VERSION;
var PERSONAL_CACHE = "sc-personal";   /* pages and data of the logged-in user: deleted at logout */
var NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    /* One missing file must not stop the worker from installing. */
    return Promise.all((CONFIG.shell || []).map(function (url) {
      return cache.add(url).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("sc-shell-") === 0 && k !== SHELL_CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Bumped by every clearing: a response fetched before a logout and arriving after it is not put
   back into the personal cache (the next user of the phone would find it). */
var personalGeneration = 0;

function clearPersonal() {
  personalGeneration += 1;
  var idb = new Promise(function (resolve) {
    /* The outbox keeps what has not reached the server (never lose an inspection); what is
       already synced is personal history and goes. */
    var open;
    try { open = indexedDB.open("sc-offline", 1); } catch (e) { resolve(); return; }
    open.onupgradeneeded = function () {
      var store = open.result.createObjectStore("outbox", { keyPath: "key" });
      store.createIndex("created", "created");
    };
    open.onerror = function () { resolve(); };
    open.onsuccess = function () {
      var db = open.result;
      try {
        var tx = db.transaction("outbox", "readwrite");
        var store = tx.objectStore("outbox");
        store.openCursor().onsuccess = function (e) {
          var cursor = e.target.result;
          if (!cursor) { return; }
          if (cursor.value.status === "synced") { cursor.delete(); }
          cursor.continue();
        };
        tx.oncomplete = tx.onerror = function () { db.close(); resolve(); };
      } catch (e) { db.close(); resolve(); }
    };
  });
  return Promise.all([caches.delete(PERSONAL_CACHE), idb]);
}

function isLogin(response) {
  return response.redirected && CONFIG.login && new URL(response.url).pathname === CONFIG.login;
}

function cacheable(response) {
  if (!response || !response.ok || response.type !== "basic" || isLogin(response)) { return false; }
  var cc = response.headers.get("Cache-Control") || "";
  return cc.indexOf("no-store") === -1;
}

function put(cacheName, request, response, generation) {
  if (!cacheable(response)) { return Promise.resolve(); }
  if (cacheName === PERSONAL_CACHE && generation !== undefined && generation !== personalGeneration) {
    return Promise.resolve();
  }
  var copy = response.clone();
  return caches.open(cacheName).then(function (cache) { return cache.put(request, copy); });
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (r) { clearTimeout(timer); resolve(r); }, function (e) { clearTimeout(timer); reject(e); });
  });
}

function offlinePage() {
  var html = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>离线</title></head>" +
    "<body style=\"font-family:sans-serif;padding:1rem\"><h1 style=\"font-size:1.2rem\">当前离线</h1>" +
    "<p>此页面没有离线副本。离线时请使用<a href=\"" + CONFIG.field + "\">现场巡查</a>页面，记录会在联网后自动同步。</p>" +
    "</body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/* Network-first: a page fresh from the server when it answers in time, else the cached copy.
   Only HTML pages are kept (not the PDF and spreadsheet downloads). */
function networkFirst(request) {
  var generation = personalGeneration;
  var network = fetch(request);
  network.then(function (response) {
    if ((response.headers.get("Content-Type") || "").indexOf("text/html") === 0) {
      return put(PERSONAL_CACHE, request, response, generation);
    }
  }).catch(function () {});
  return withTimeout(network, NETWORK_TIMEOUT_MS).catch(function () {
    return caches.match(request, { cacheName: PERSONAL_CACHE, ignoreVary: true }).then(function (cached) {
      return cached || network.catch(function () { return offlinePage(); });
    });
  });
}

function notify(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (c) { c.postMessage(message); });
  });
}

/* Stale-while-revalidate: the cached copy at once; the network refreshes it behind and, for the
   data file, the pages are told so they redraw. The field page is the app shell of the data. */
function staleWhileRevalidate(event, request, message) {
  var cachedPromise = caches.match(request, { cacheName: PERSONAL_CACHE, ignoreVary: true });
  var generation = personalGeneration;
  var network = fetch(request).then(function (response) {
    if (isLogin(response) || response.status === 401) {
      return clearPersonal().then(function () { return response; });
    }
    return put(PERSONAL_CACHE, request, response, generation).then(function () {
      if (message && cacheable(response)) { notify({ type: message }); }
      return response;
    });
  });
  event.waitUntil(network.catch(function () {}));
  return cachedPromise.then(function (cached) {
    if (cached) { return cached; }
    return network.catch(function () { return request.mode === "navigate" ? offlinePage() : Response.error(); });
  });
}

function cacheFirst(request) {
  return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (cached) {
    if (cached) { return cached; }
    return fetch(request).then(function (response) {
      return put(SHELL_CACHE, request, response).then(function () { return response; });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    event.respondWith(clearPersonal().then(function () { return fetch(request); }));
    return;
  }
  if (request.method !== "GET") { return; }
  if (CONFIG.static && url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname === CONFIG.data) {
    event.respondWith(staleWhileRevalidate(event, request, "data-updated"));
    return;
  }
  if (url.pathname === CONFIG.field && request.mode === "navigate") {
    event.respondWith(staleWhileRevalidate(event, request, null));
    return;
  }
  if (request.mode === "navigate" && CONFIG.pages && url.pathname.indexOf(CONFIG.pages) === 0 &&
      url.pathname.indexOf("/photos/") === -1) {
    event.respondWith(networkFirst(request));
  }
});

/* The page asks, once the worker runs, for its own page and the data file to be kept for offline use. */
function warm() {
  var generation = personalGeneration;
  return caches.open(PERSONAL_CACHE).then(function (cache) {
    return Promise.all([CONFIG.field, CONFIG.data].map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (cacheable(response) && generation === personalGeneration) { return cache.put(url, response); }
      }).catch(function () {});
    }));
  });
}

self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  if (type === "clear-personal") { event.waitUntil(clearPersonal()); }
  if (type === "warm") { event.waitUntil(warm()); }
});
