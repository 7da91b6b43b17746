/* The outbox of the offline app in IndexedDB ("sc-offline", store "outbox", one record per
   inspection with its photos as Blobs). window.scOutbox: all(), get(key), put(record), remove(key). */
(function () {
  "use strict";
  var DB_NAME = "sc-offline", STORE = "outbox";
  var opening = null;

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("created", "created");
      };
      request.onsuccess = function () {
        var db = request.result;
        /* Another tab (or the worker at logout) may need a newer version: let it. */
        db.onversionchange = function () { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = function () { opening = null; reject(request.error); };
    });
    return opening;
  }

  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        var request = fn(tx.objectStore(STORE));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.scOutbox = {
    all: function () {
      return run("readonly", function (store) { return store.index("created").getAll(); });
    },
    get: function (key) { return run("readonly", function (store) { return store.get(key); }); },
    put: function (record) { return run("readwrite", function (store) { return store.put(record); }); },
    remove: function (key) { return run("readwrite", function (store) { return store.delete(key); }); }
  };
})();
