/* The grid inspector's offline app (inspections/field.html): the task list drawn from the data
   file (served from the service worker's cache at once), the inspection form built from the
   checklists, the outbox in IndexedDB (window.scOutbox) and its sync, in order, each inspection
   and each photo with its own idempotency key, and the 待同步 panel.
   Configuration and texts come from json_script blocks; no inline script. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sc-offline-config").textContent);
  var T = JSON.parse(document.getElementById("sc-offline-strings").textContent);
  var labels = JSON.parse(document.getElementById("sc-offline-labels").textContent);
  var MAX_SIDE = 2048, RETRY_MS = 3000;
  var data = null, editing = null, formPhotos = {}, syncing = false, retryTimer = null, again = false;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "class") { node.className = attrs[k]; }
      else if (attrs[k] === true) { node.setAttribute(k, ""); }
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }
  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function entityById(id) {
    return data && data.entities.filter(function (e) { return e.id === id; })[0];
  }
  function message(text, kind, link) {
    var box = $("field-message");
    box.textContent = text || "";
    if (link) { box.appendChild(document.createTextNode(" ")); box.appendChild(el("a", { href: link[0], text: link[1] })); }
    box.className = "alert small alert-" + (kind || "info");
    box.hidden = !text;
  }
  function loginNeeded() {
    message(T.login_needed, "warning", [config.login + "?next=" + encodeURIComponent(config.field), T.login]);
  }

  /* --- Network state -------------------------------------------------------------------- */
  function showNetwork() {
    var badge = $("net-status");
    badge.textContent = navigator.onLine ? T.online : T.offline;
    badge.className = "badge " + (navigator.onLine ? "bg-success" : "bg-secondary");
  }
  window.addEventListener("online", function () { showNetwork(); syncSoon(0); loadData(); });
  window.addEventListener("offline", showNetwork);

  /* --- The service worker ----------------------------------------------------------------- */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "warm" }); }
      document.documentElement.dataset.swReady = "1";
    }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "data-updated") { loadData(); }
    });
  }

  /* --- The task list --------------------------------------------------------------------- */
  function loadData() {
    return fetch(config.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { loginNeeded(); return null; }
        if (!response.ok) { return null; }
        return response.json();
      })
      .then(function (json) {
        if (json && json.user === config.user) { data = json; renderTasks(); }
        else if (!data) { $("task-groups").textContent = T.no_data; }
      })
      .catch(function () { if (!data) { $("task-groups").textContent = T.no_data; } });
  }

  function taskRow(entity) {
    var button = el("button", { type: "button", class: "btn btn-sm btn-outline-primary text-nowrap sc-start",
                                "data-entity": entity.id, text: T.inspect });
    button.addEventListener("click", function () { openForm(entity.id, null); });
    return el("li", { class: "list-group-item d-flex justify-content-between align-items-center gap-2 sc-task",
                      "data-entity": entity.id }, [
      el("div", {}, [el("div", { class: "fw-semibold", text: entity.name }),
        el("div", { class: "small text-muted",
                    text: [entity.village, entity.grid, entity.next_due_on ? T.due + " " + entity.next_due_on : ""]
                      .filter(Boolean).join(" · ") })]),
      button]);
  }

  function renderTasks() {
    var box = $("task-groups");
    box.textContent = "";
    [["overdue", T.overdue], ["today", T.today], ["week", T.week]].forEach(function (pair) {
      var ids = data.tasks[pair[0]] || [];
      box.appendChild(el("h3", { class: "h6 mt-2", text: pair[1] + " (" + (data.counts[pair[0]] || 0) + ")" }));
      var list = el("ul", { class: "list-group list-group-flush", id: "tasks-" + pair[0] });
      ids.forEach(function (id) { var e = entityById(id); if (e) { list.appendChild(taskRow(e)); } });
      if (!ids.length) { list.appendChild(el("li", { class: "list-group-item text-muted small", text: T.none })); }
      box.appendChild(list);
    });
    var all = el("details", { class: "mt-3" }, [el("summary", { class: "small", text: T.all_entities + " (" + data.entities.length + ")" })]);
    var list = el("ul", { class: "list-group list-group-flush" });
    data.entities.forEach(function (e) { list.appendChild(taskRow(e)); });
    all.appendChild(list);
    box.appendChild(all);
    $("data-age").textContent = T.data_as_of + " " + new Date(data.generated_at).toLocaleString();
    /* When the task list first showed, in ms after the navigation began (kept for the first drawing). */
    if (!document.documentElement.dataset.tasksRenderedAt) {
      document.documentElement.dataset.tasksRenderedAt = String(Math.round(performance.now()));
    }
  }

  /* --- Photos: resized on the phone (canvas, at most 2048 px a side) ---------------------- */
  function resize(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    }).then(function (blob) {
      if (!blob) { throw new Error("resize"); }
      return { key: uuid(), name: (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg", blob: blob, done: false };
    });
  }

  function photoInput(slot, id) {
    var input = el("input", { type: "file", accept: "image/*", capture: "environment", multiple: true,
                              class: "form-control form-control-sm", id: id });
    var status = el("div", { class: "small text-muted sc-photo-count", id: id + "-count" });
    function show() { status.textContent = T.photos_chosen.replace("%(n)s", (formPhotos[slot] || []).length); }
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      status.textContent = T.resizing;
      Promise.all(files.map(resize)).then(function (photos) {
        formPhotos[slot] = (formPhotos[slot] || []).concat(photos);
        input.value = "";
        show();
      }).catch(function () { status.textContent = T.photo_bad; });
    });
    show();
    return el("div", { class: "mb-2" }, [el("label", { class: "form-label small", for: id, text: T.photos }), input, status]);
  }

  /* --- The inspection form ---------------------------------------------------------------- */
  function radios(name, choices, idPrefix, checked) {
    return el("div", { class: "btn-group btn-group-sm w-100 my-1", role: "group" },
      Object.keys(choices).reduce(function (acc, value) {
        var id = idPrefix + "-" + value;
        var colour = value === "nonconform" || value === "poor" ? "danger" : (value === "conform" || value === "good" ? "success" : "secondary");
        acc.push(el("input", { type: "radio", class: "btn-check", name: name, id: id, value: value, checked: value === checked }));
        acc.push(el("label", { class: "btn btn-outline-" + colour, for: id, text: choices[value] }));
        return acc;
      }, []));
  }

  function field(label, control) {
    return el("div", { class: "mb-2" }, [el("label", { class: "form-label small", for: control.id, text: label }), control]);
  }

  function openForm(entityId, record) {
    var entity = entityById(entityId) || (record && { id: entityId, name: record.entity_name, kind: record.entity_kind });
    if (!entity) { return; }
    var checklist = data && data.checklists[entity.kind];
    var payload = record ? record.payload : {};
    var answers = {};
    (payload.results || []).forEach(function (a) { answers[a.item] = a; });
    editing = { entity: entity, record: record, checklist: checklist };
    formPhotos = {};
    if (record) {
      record.photos.forEach(function (p) {
        var slot = p.item ? "item-" + p.item : "inspection";
        (formPhotos[slot] = formPhotos[slot] || []).push(p);
      });
    }
    var form = $("offline-form");
    form.textContent = "";
    $("inspect-title").textContent = T.inspection + "：" + entity.name;
    if (record && record.message) { form.appendChild(el("div", { class: "alert alert-danger small", text: record.message })); }
    var when = el("input", { type: "datetime-local", class: "form-control", id: "f-inspected-at",
                             value: payload.inspected_local || localInput(new Date()) });
    var mode = el("select", { class: "form-select", id: "f-mode" });
    Object.keys(labels.modes).forEach(function (v) {
      mode.appendChild(el("option", { value: v, text: labels.modes[v], selected: v === (payload.mode || "announced") }));
    });
    var lat = el("input", { type: "hidden", id: "f-latitude", value: payload.latitude || "" });
    var lng = el("input", { type: "hidden", id: "f-longitude", value: payload.longitude || "" });
    var locateStatus = el("span", { class: "small text-muted ms-1", id: "f-locate-status",
                                    text: payload.latitude ? payload.latitude + ", " + payload.longitude : "" });
    var locate = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", id: "f-locate", text: T.locate });
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { locateStatus.textContent = T.locate_failed; return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6); lng.value = pos.coords.longitude.toFixed(6);
        locateStatus.textContent = lat.value + ", " + lng.value;
      }, function () { locateStatus.textContent = T.locate_failed; }, { timeout: 15000 });
    });
    form.appendChild(el("div", { class: "sc-card mb-3" }, [field(T.inspected_at, when), field(T.mode, mode), lat, lng, locate, locateStatus]));

    if (checklist) {
      var groups = {};
      checklist.items.forEach(function (item) { (groups[item.category] = groups[item.category] || []).push(item); });
      Object.keys(groups).forEach(function (category) {
        var set = el("fieldset", { class: "sc-card mb-3" }, [el("legend", { class: "h6", text: category })]);
        groups[category].forEach(function (item, i) { set.appendChild(itemBlock(item, i + 1, answers[item.id] || {})); });
        form.appendChild(set);
      });
    } else {
      form.appendChild(el("div", { class: "alert alert-info small", text: T.no_checklist }));
    }
    var notes = el("textarea", { class: "form-control", rows: "3", id: "f-notes" });
    notes.value = payload.notes || "";
    var representative = el("input", { type: "text", class: "form-control", id: "f-representative", maxlength: "50",
                                       value: payload.representative_name || "" });
    form.appendChild(el("div", { class: "sc-card mb-3" }, [
      field(T.notes, notes), photoInput("inspection", "f-photos"),
      el("div", { class: "small mb-1", text: T.rating }), radios("rating", labels.ratings, "f-rating", payload.rating),
      field(T.representative, representative)]));
    var save = el("button", { type: "button", class: "btn btn-primary btn-lg", id: "f-save", text: T.save });
    var cancel = el("button", { type: "button", class: "btn btn-outline-secondary", id: "f-cancel", text: T.cancel });
    save.addEventListener("click", saveForm);
    cancel.addEventListener("click", closeForm);
    form.appendChild(el("div", { class: "alert alert-danger small", id: "f-errors", hidden: true }));
    form.appendChild(el("div", { class: "d-grid gap-2 mb-4" }, [save, cancel]));
    $("inspect").hidden = false;
    $("task-list").hidden = true;
    $("inspect").scrollIntoView();
  }

  function itemBlock(item, n, answer) {
    var hazard = answer.hazard || null;
    var grades = (data && data.grades) || [];
    var block = el("div", { class: "border-bottom pb-2 mb-2 sc-item", "data-item": item.id }, [
      el("div", { class: "fw-semibold small", text: n + ". " + item.text }),
      item.legal_basis ? el("div", { class: "small text-muted", text: T.basis + "：" + item.legal_basis }) : null,
      radios("result-" + item.id, labels.results, "f-result-" + item.id, answer.result),
      el("input", { type: "text", class: "form-control form-control-sm", id: "f-note-" + item.id,
                    placeholder: T.note_optional, value: answer.note || "" })]);
    var toggle = el("input", { type: "checkbox", class: "form-check-input", id: "f-hazard-" + item.id, checked: !!hazard });
    var grade = el("select", { class: "form-select form-select-sm", id: "f-hazard-grade-" + item.id });
    grades.forEach(function (g) {
      grade.appendChild(el("option", { value: g.id, text: g.name, selected: hazard ? g.id === hazard.grade : false }));
    });
    var deadline = el("input", { type: "date", class: "form-control form-control-sm", id: "f-hazard-deadline-" + item.id });
    function defaultDeadline() {
      var g = grades.filter(function (x) { return String(x.id) === grade.value; })[0];
      var d = new Date(); d.setDate(d.getDate() + (g ? g.default_days : 15));
      return isoDate(d);
    }
    deadline.value = (hazard && hazard.deadline) || defaultDeadline();
    grade.addEventListener("change", function () { if (!hazard) { deadline.value = defaultDeadline(); } });
    var desc = el("input", { type: "text", class: "form-control form-control-sm", id: "f-hazard-desc-" + item.id,
                             value: (hazard && hazard.description) || "" });
    var details = el("div", { class: "sc-hazard-fields", hidden: !hazard }, [
      field(T.hazard_description, desc),
      el("div", { class: "row g-2" }, [el("div", { class: "col-6" }, [field(T.hazard_grade, grade)]),
                                       el("div", { class: "col-6" }, [field(T.deadline, deadline)])]),
      photoInput("item-" + item.id, "f-hazard-photos-" + item.id)]);
    var box = el("div", { class: "sc-hazard mt-2 p-2 bg-danger-subtle rounded", hidden: answer.result !== "nonconform" }, [
      el("div", { class: "form-check" }, [toggle, el("label", { class: "form-check-label", for: toggle.id, text: T.register_hazard })]),
      details]);
    toggle.addEventListener("change", function () { details.hidden = !toggle.checked; });
    block.querySelectorAll('input[type="radio"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        box.hidden = radio.value !== "nonconform";
        if (box.hidden) { toggle.checked = false; details.hidden = true; }
      });
    });
    block.appendChild(box);
    return block;
  }

  function checkedValue(name) {
    var checked = document.querySelector('#offline-form input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function closeForm() {
    editing = null; formPhotos = {};
    $("offline-form").textContent = "";
    $("inspect").hidden = true;
    $("task-list").hidden = false;
  }

  function saveForm() {
    var ctx = editing;
    var errors = [];
    var results = [];
    var photos = (formPhotos.inspection || []).map(function (p) { return Object.assign({}, p, { item: null }); });
    (ctx.checklist ? ctx.checklist.items : []).forEach(function (item) {
      var result = checkedValue("result-" + item.id);
      if (!result) { errors.push(T.answer_every_item); }
      var answer = { item: item.id, result: result, note: $("f-note-" + item.id).value.trim() };
      if (result === "nonconform" && $("f-hazard-" + item.id).checked) {
        answer.hazard = { grade: parseInt($("f-hazard-grade-" + item.id).value, 10),
                          deadline: $("f-hazard-deadline-" + item.id).value,
                          description: $("f-hazard-desc-" + item.id).value.trim() };
        if (!answer.hazard.deadline) { errors.push(T.deadline_needed); }
        (formPhotos["item-" + item.id] || []).forEach(function (p) { photos.push(Object.assign({}, p, { item: item.id })); });
      }
      results.push(answer);
    });
    var rating = checkedValue("rating");
    var representative = $("f-representative").value.trim();
    var whenLocal = $("f-inspected-at").value;
    if (!rating) { errors.push(T.rating_needed); }
    if (!representative) { errors.push(T.representative_needed); }
    if (!whenLocal) { errors.push(T.time_needed); }
    if (errors.length) {
      var box = $("f-errors");
      box.textContent = errors.filter(function (e, i) { return errors.indexOf(e) === i; }).join("；");
      box.hidden = false;
      box.scrollIntoView();
      return;
    }
    var old = ctx.record;
    var record = {
      key: old ? old.key : uuid(),
      user: config.user,
      created: old ? old.created : Date.now(),
      entity: ctx.entity.id, entity_name: ctx.entity.name, entity_kind: ctx.entity.kind,
      status: "pending", message: "", code: "",
      payload: {
        entity: ctx.entity.id, template: ctx.checklist ? ctx.checklist.id : null,
        inspected_at: new Date(whenLocal).toISOString(), inspected_local: whenLocal,
        mode: $("f-mode").value, notes: $("f-notes").value.trim(), rating: rating,
        representative_name: representative,
        latitude: $("f-latitude").value || null, longitude: $("f-longitude").value || null,
        results: results
      },
      photos: photos,
      server: null
    };
    window.scOutbox.put(record).then(function () {
      closeForm();
      message(navigator.onLine ? T.saved_sending : T.saved_offline, "success");
      renderPending();
      syncSoon(0);
    }).catch(function () { message(T.storage_failed, "danger"); });
  }

  /* --- Sync: in order, one inspection then its photos, each request with its own key ------- */
  function syncSoon(ms) {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(syncAll, ms);
  }

  function readJson(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) { return Promise.resolve(null); }
    return response.json().catch(function () { return null; });
  }

  function Stop(reason) { this.reason = reason; }

  function send(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", redirect: "manual" }, options))
      .catch(function () { throw new Stop("network"); })
      .then(function (response) {
        return readJson(response).then(function (json) {
          if (response.status === 401 || response.type === "opaqueredirect") { throw new Stop("login"); }
          if (!json) { throw new Stop(response.status === 403 ? "csrf" : "server"); }  /* CSRF page, proxy error … */
          if (response.status >= 500) { throw new Stop("server"); }
          return { status: response.status, json: json };
        });
      });
  }

  function refuse(record, answer) {
    record.status = answer.status === 409 ? "conflict" : "refused";
    record.code = answer.json.code || "";
    record.message = answer.json.message || T.refused;
    return window.scOutbox.put(record);
  }

  function syncRecord(record, csrf) {
    var first = record.server ? Promise.resolve(true) : send(config.sync, {
      method: "POST", body: JSON.stringify(Object.assign({ key: record.key }, record.payload)),
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf }
    }).then(function (answer) {
      if (!answer.json.ok) { return refuse(record, answer).then(function () { return false; }); }
      record.server = { id: answer.json.id, url: answer.json.url, hazards: answer.json.hazards };
      record.message = "";
      return window.scOutbox.put(record).then(function () { return true; });
    });
    return first.then(function (ok) {
      if (!ok) { return; }
      var chain = Promise.resolve(true);
      record.photos.forEach(function (photo) {
        chain = chain.then(function (goOn) {
          if (!goOn || photo.done) { return goOn; }
          var body = new FormData();
          body.append("key", photo.key);
          body.append("inspection", record.key);
          if (photo.item) { body.append("item", photo.item); }
          body.append("photo", photo.blob, photo.name);
          return send(config.photos, { method: "POST", body: body, headers: { Accept: "application/json", "X-CSRFToken": csrf } })
            .then(function (answer) {
              if (!answer.json.ok) {
                answer.json.message = T.photo_refused + (answer.json.message || "");
                return refuse(record, answer).then(function () { return false; });
              }
              photo.done = true;
              photo.blob = null;   /* on the server now: free the phone's storage */
              return window.scOutbox.put(record).then(function () { renderPending(); return true; });
            });
        });
      });
      return chain.then(function (allSent) {
        if (!allSent) { return; }
        record.status = "synced";
        record.synced = Date.now();
        return window.scOutbox.put(record);
      });
    });
  }

  function syncAll() {
    if (syncing) { again = true; return Promise.resolve(); }
    syncing = true;
    return window.scOutbox.all().then(function (records) {
      var mine = records.filter(function (r) { return r.user === config.user && r.status === "pending"; });
      if (!mine.length) { return; }
      return send(config.session, { headers: { Accept: "application/json" }, cache: "no-store" }).then(function (answer) {
        if (!answer.json.ok || answer.json.user !== config.user) { throw new Stop("login"); }
        var csrf = answer.json.csrf;
        return mine.reduce(function (chain, record) {
          return chain.then(function () { return syncRecord(record, csrf).then(renderPending); });
        }, Promise.resolve());
      }).then(function () { message(T.all_synced, "success"); });
    }).catch(function (err) {
      if (err instanceof Stop) {
        if (err.reason === "login") { loginNeeded(); }
        else if (err.reason !== "network") { message(T.server_busy, "warning"); }
        /* No network: try again soon. Logged out or a server error: less often. */
        syncSoon(err.reason === "network" ? RETRY_MS : 10 * RETRY_MS);
      } else {
        message(T.storage_failed, "danger");
      }
    }).then(function () {
      syncing = false;
      renderPending();
      if (again) { again = false; syncSoon(0); }
    });
  }

  /* --- The 待同步 panel ------------------------------------------------------------------ */
  var STATUS = { pending: ["warning", "status_pending"], synced: ["success", "status_synced"],
                 refused: ["danger", "status_refused"], conflict: ["danger", "status_conflict"] };

  function pendingRow(record) {
    var s = STATUS[record.status] || STATUS.pending;
    var done = record.photos.filter(function (p) { return p.done; }).length;
    var when = record.payload.inspected_local ? record.payload.inspected_local.replace("T", " ") : "";
    var row = el("li", { class: "list-group-item sc-outbox", "data-key": record.key, "data-status": record.status }, [
      el("div", { class: "d-flex justify-content-between gap-2" }, [
        el("span", { class: "fw-semibold", text: record.entity_name }),
        el("span", { class: "badge bg-" + s[0] + " sc-outbox-status", text: T[s[1]] })]),
      el("div", { class: "small text-muted", text: when + (record.photos.length ? " · " + T.photo_progress
        .replace("%(done)s", done).replace("%(n)s", record.photos.length) : "") })]);
    if (record.message) { row.appendChild(el("div", { class: "small text-danger sc-outbox-message", text: record.message })); }
    var actions = el("div", { class: "d-flex gap-2 mt-1" });
    if (record.server && record.server.url) {
      actions.appendChild(el("a", { class: "btn btn-sm btn-link p-0", href: record.server.url, text: T.view_record }));
    }
    if (record.status === "refused" && !record.server) {
      var fix = el("button", { type: "button", class: "btn btn-sm btn-outline-primary sc-fix", text: T.fix_and_resend });
      fix.addEventListener("click", function () { openForm(record.entity, record); });
      actions.appendChild(fix);
    }
    if (record.status === "refused" || record.status === "conflict") {
      var resend = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary sc-resend", text: T.resend });
      resend.addEventListener("click", function () {
        record.status = "pending"; record.message = "";
        window.scOutbox.put(record).then(function () { renderPending(); syncSoon(0); });
      });
      actions.appendChild(resend);
      var drop = el("button", { type: "button", class: "btn btn-sm btn-outline-danger sc-discard", text: T.discard });
      drop.addEventListener("click", function () {
        if (window.confirm(T.discard_confirm)) { window.scOutbox.remove(record.key).then(renderPending); }
      });
      actions.appendChild(drop);
    }
    if (actions.childNodes.length) { row.appendChild(actions); }
    return row;
  }

  function renderPending() {
    return window.scOutbox.all().then(function (records) {
      var mine = records.filter(function (r) { return r.user === config.user; });
      var waiting = mine.filter(function (r) { return r.status !== "synced"; }).length;
      $("pending-count").textContent = String(waiting);
      var list = $("pending-list");
      list.textContent = "";
      if (!mine.length) { list.appendChild(el("li", { class: "list-group-item text-muted small", text: T.none })); }
      mine.forEach(function (r) { list.appendChild(pendingRow(r)); });
    });
  }

  $("sync-button").addEventListener("click", function () { syncSoon(0); });
  $("offline-form").addEventListener("submit", function (event) { event.preventDefault(); event.stopPropagation(); });
  showNetwork();
  loadData();
  renderPending().then(function () { syncSoon(0); });
})();
