// Progressive enhancement for the case page: drag and drop, one request per file with a
// per-file status line, then live processing status until every document is read.
// Without JavaScript the form posts all files at once and the page reloads.
(function () {
  "use strict";

  function text(el, value) { el.textContent = value; return el; }

  function enhance(form) {
    var input = form.querySelector("input[type=file]");
    var csrf = form.querySelector("input[name=_csrf]").value;
    var list = document.createElement("ul");
    list.className = "upload-list";
    list.setAttribute("aria-live", "polite");
    form.appendChild(list);

    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function (event) { event.preventDefault(); form.classList.remove("dragging"); });
    });
    form.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) { send(Array.prototype.slice.call(event.dataTransfer.files)); }
    });
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }
      event.preventDefault();
      send(Array.prototype.slice.call(input.files));
    });

    function send(files) {
      var pending = files.length;
      files.forEach(function (file) {
        var item = text(document.createElement("li"), file.name + ": uploading…");
        list.appendChild(item);
        var body = new FormData();
        body.append("_csrf", csrf);
        body.append("files[]", file, file.name);
        fetch(form.action, { method: "POST", body: body, headers: { "Accept": "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            if (response.status === 413) { return [{ fileName: file.name, outcome: "rejected", message: "The file is too large to upload." }]; }
            return response.json();
          })
          .then(function (results) {
            var result = results[0] || { outcome: "rejected", message: "No answer from the server." };
            item.className = "upload-" + result.outcome;
            text(item, file.name + ": " + result.message);
          })
          .catch(function () {
            item.className = "upload-rejected";
            text(item, file.name + ": the upload did not reach the server. Check the connection and try again; nothing else was affected.");
          })
          .then(function () {
            pending -= 1;
            if (pending === 0) { input.value = ""; setTimeout(function () { window.location.reload(); }, 1200); }
          });
      });
    }
  }

  // While documents are being read, refresh their status every two seconds, and reload
  // the page once all are done so the summary shows the new values.
  function poll(table) {
    var url = table.getAttribute("data-status-url");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          data.documents.forEach(function (doc) {
            var cell = document.querySelector("[data-doc-status='" + doc.id + "']");
            if (cell) { text(cell, doc.statusLabel); cell.className = "status status-" + doc.status; }
          });
          if (data.allSettled) { window.location.reload(); } else { setTimeout(tick, 2000); }
        })
        .catch(function () { setTimeout(tick, 5000); });
    }
    setTimeout(tick, 1500);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), enhance);
    // The document viewer: bring the highlighted source words into view inside the text box.
    var highlight = document.getElementById("highlight");
    if (highlight && highlight.scrollIntoView) { highlight.scrollIntoView({ block: "center" }); }
    var busy = document.querySelector("table[data-busy]");
    if (busy) { poll(busy); }
  });
})();
