/* The work page's two bits of behaviour, plain JS (no library, no CDN):
   - an action that needs a form opens it (one that needs nothing is a plain submit button);
   - the photo viewer: one page at a time (上一页/下一页, ← →), zoom (放大/缩小/适应, + -),
     the image loaded only when its page is shown (each opening is recorded by the hub). */
(function () {
  "use strict";

  document.querySelectorAll("button.act[aria-controls]").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = document.getElementById(button.getAttribute("aria-controls"));
      document.querySelectorAll("form.actform").forEach(function (other) { other.hidden = other !== form; });
      var first = form.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
    });
  });
  document.querySelectorAll("form.actform button.cancel").forEach(function (cancel) {
    cancel.addEventListener("click", function () { cancel.form.hidden = true; });
  });
  document.querySelectorAll("main form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });

  var viewer = document.getElementById("viewer");
  if (!viewer) return;
  var pages = Array.prototype.map.call(viewer.querySelectorAll(".pages li"), function (li) {
    return { src: li.dataset.src, label: li.textContent };
  });
  var img = viewer.querySelector("img[data-role=page]");
  var stage = viewer.querySelector(".stage");
  var STEPS = [25, 50, 75, 100, 150, 200, 300, 400];
  var index = 0;
  var zoom = 100;

  function show(what, text) { viewer.querySelector("[data-show=" + what + "]").textContent = text; }

  function apply() {
    img.style.width = zoom + "%";
    img.style.maxWidth = zoom > 100 ? "none" : "100%";
    viewer.dataset.zoom = String(zoom);
    show("zoom", zoom + "%");
  }

  function go(to) {
    if (to < 0 || to >= pages.length) return;
    index = to;
    img.src = pages[index].src;
    img.alt = pages[index].label;
    viewer.dataset.page = String(index + 1);
    show("index", String(index + 1));
    show("label", pages[index].label);
    viewer.querySelector("[data-do=prev]").disabled = index === 0;
    viewer.querySelector("[data-do=next]").disabled = index === pages.length - 1;
    zoom = 100;
    apply();
    stage.scrollTop = 0;
    stage.scrollLeft = 0;
  }

  function zoomBy(direction) {
    var at = STEPS.indexOf(zoom);
    var next = STEPS[Math.min(STEPS.length - 1, Math.max(0, at + direction))];
    if (next === zoom) return;
    zoom = next;
    apply();
  }

  var actions = {
    prev: function () { go(index - 1); },
    next: function () { go(index + 1); },
    in: function () { zoomBy(1); },
    out: function () { zoomBy(-1); },
    fit: function () { zoom = 100; apply(); }
  };
  viewer.querySelectorAll("[data-do]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.dataset.do](); });
  });
  viewer.addEventListener("keydown", function (event) {
    var key = { ArrowLeft: "prev", ArrowRight: "next", "+": "in", "=": "in", "-": "out", "0": "fit" }[event.key];
    if (key) { actions[key](); event.preventDefault(); }
  });
  stage.addEventListener("wheel", function (event) {
    if (!event.ctrlKey) return;
    zoomBy(event.deltaY < 0 ? 1 : -1);
    event.preventDefault();
  }, { passive: false });
  go(0);
})();
