/* The portal's behaviour in the browser: the header row (R5), unsaved changes (R6), the idle timer (R1).
   No inline script anywhere (the Content-Security-Policy forbids it); everything hangs on data- attributes. */
(function () {
  "use strict";
  var leavingOnPurpose = false;

  function rowsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("tbody tr"));
  }

  function isDirty(row) {
    var radios = row.querySelectorAll("input[type=radio]");
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].checked !== radios[i].defaultChecked) return true;
    }
    var remark = row.querySelector("input[data-opmerking]");
    return !!remark && remark.value !== remark.defaultValue;
  }

  function dirtyCount(form) {
    var count = 0;
    rowsOf(form).forEach(function (row) {
      var dirty = isDirty(row);
      row.classList.toggle("gewijzigd", dirty);
      if (dirty) count++;
    });
    return count;
  }

  function update(form) {
    var count = dirtyCount(form);
    var label = form.querySelector("#wijzigingen");
    if (label) {
      label.textContent = count === 0 ? "Geen wijzigingen" :
        count + (count === 1 ? " wijziging" : " wijzigingen") + " nog niet opgeslagen";
      label.classList.toggle("dirty", count > 0);
    }
  }

  function anyDirty() {
    var forms = document.querySelectorAll("form[data-statusformulier]");
    for (var i = 0; i < forms.length; i++) {
      if (dirtyCount(forms[i]) > 0) return true;
    }
    return false;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.form;
    if (!form || !form.hasAttribute("data-statusformulier")) return;
    if (target.hasAttribute("data-alle")) {
      // R5: a status in the dark-blue header row ticks it for every row shown.
      rowsOf(form).forEach(function (row) {
        var radio = row.querySelector("input[type=radio][value='" + target.value + "']");
        if (radio) radio.checked = true;
      });
    }
    update(form);
  });

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-opmerking")) update(event.target.form);
  });

  // R6: leaving the page with unsaved changes asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!leavingOnPurpose && anyDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:confirm", function (event) {
    var source = event.detail.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-filters") && anyDirty()) {
      event.preventDefault();
      if (window.confirm("U heeft wijzigingen die nog niet zijn opgeslagen. Zoeken laadt de lijst opnieuw en die wijzigingen gaan verloren. Doorgaan?")) {
        event.detail.issueRequest(true);
      }
    }
  });

  // Only the changed rows travel: a save of three changes in a list of 400 sends three rows.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-statusformulier")) return;
    var params = event.detail.parameters;
    rowsOf(form).forEach(function (row) {
      if (isDirty(row)) return;
      row.querySelectorAll("input[name]").forEach(function (input) {
        if (/^[kvopsm]\d+$/.test(input.name)) {
          if (params instanceof FormData) params.delete(input.name); else delete params[input.name];
        }
      });
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-annuleer")) {
      var box = target.closest("#melding");
      if (box) box.innerHTML = "";
    }
    if (target.hasAttribute && target.hasAttribute("data-herlaad")) {
      leavingOnPurpose = true;
    }
  });

  // After a swap, bring keyboard and screen-reader users to what changed.
  document.addEventListener("htmx:afterSwap", function (event) {
    var confirmButton = document.querySelector("#melding [data-bevestig]");
    var box = document.getElementById("melding");
    if (confirmButton) confirmButton.focus();
    else if (box && box.textContent.trim() && event.detail.target && event.detail.target.id !== "voortgang") box.focus();
    document.querySelectorAll("form[data-statusformulier]").forEach(update);
    resetIdleTimer();
  });


  // Catalogue CSV import: the bar follows the upload (0-20 %), then the catalogue's own progress of
  // checking and saving the lines (20-100 %), polled by the form's import_id (any worker answers it);
  // the answer of the upload brings the per-line report, shown in place.
  var PHASES = {
    wacht: "Verstuurd; het bestand wordt gelezen…",
    lezen: "Verstuurd; het bestand wordt gelezen…",
    controleren: "Regels gecontroleerd: ",
    opslaan: "Regels opgeslagen: ",
    klaar: "Verwerkt; het verslag volgt…",
    geweigerd: "Geweigerd; het verslag volgt…"
  };
  function followImport(form, bar, stand) {
    var idField = form.querySelector("input[name=import_id]");
    var url = "/beheer/catalogus-csv/voortgang/" + encodeURIComponent(idField ? idField.value : "");
    var follower = { stopped: false, timer: null };
    function show(state) {
      var value = 20 + Math.round((state.percent || 0) * 0.8);
      if (value > bar.value) bar.value = value;
      var text = PHASES[state.phase] || PHASES.wacht;
      if (state.phase === "controleren" || state.phase === "opslaan") text += state.done + " van " + state.total;
      stand.textContent = text + " (" + bar.value + "%)";
    }
    function poll() {
      if (follower.stopped || !idField || !window.fetch) return;
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.json(); })
        .then(function (state) {
          if (follower.stopped) return;
          show(state);
          if (!state.finished) follower.timer = window.setTimeout(poll, 250);
        })
        .catch(function () { if (!follower.stopped) follower.timer = window.setTimeout(poll, 1000); });
    }
    follower.start = poll;
    follower.stop = function () { follower.stopped = true; if (follower.timer) window.clearTimeout(follower.timer); };
    return follower;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-uploadvoortgang") || !window.FormData) return;
    event.preventDefault();
    var box = document.getElementById("uploadvoortgang");
    var bar = document.getElementById("uploadbalk");
    var stand = document.getElementById("uploadstand");
    box.hidden = false;
    bar.value = 0;
    stand.textContent = "Het bestand wordt verstuurd…";
    var follower = followImport(form, bar, stand);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (progress) {
      if (!progress.lengthComputable) return;
      bar.value = Math.round((progress.loaded / progress.total) * 20);
      stand.textContent = "Verstuurd: " + Math.round((progress.loaded / progress.total) * 100) + "%";
    });
    xhr.upload.addEventListener("load", function () { follower.start(); });
    xhr.addEventListener("load", function () {
      follower.stop();
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var fresh = page.getElementById("uitkomst");
      var current = document.getElementById("uitkomst");
      if (fresh && current) current.replaceWith(fresh);
      var freshId = page.querySelector("form[data-uploadvoortgang] input[name=import_id]");
      var ownId = form.querySelector("input[name=import_id]");
      if (freshId && ownId) ownId.value = freshId.value;  // the next import gets an id of its own
      bar.value = 100;
      stand.textContent = xhr.status < 400 ? "Klaar." : "Het bestand is geweigerd; zie de regels hieronder.";
      resetIdleTimer();
    });
    xhr.addEventListener("error", function () {
      follower.stop();
      stand.textContent = "Versturen is mislukt. Probeer het opnieuw.";
    });
    xhr.send(new FormData(form));
  });

  // R1: after the idle time the session is over; go to the login page, which says why.
  var idleTimer = null;
  function resetIdleTimer() {
    var seconds = parseInt(document.body.getAttribute("data-idle") || "0", 10);
    if (!seconds) return;
    if (idleTimer) window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () {
      leavingOnPurpose = true;
      window.location.assign("/inloggen");
    }, (seconds + 2) * 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    resetIdleTimer();
    document.querySelectorAll("form[data-statusformulier]").forEach(update);
  });
  document.addEventListener("htmx:afterRequest", resetIdleTimer);
})();
