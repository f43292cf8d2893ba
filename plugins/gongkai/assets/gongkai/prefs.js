// Reading aids. 适老化: larger text and high contrast, toggled by buttons in the header and kept in
// localStorage so the choice follows the reader across pages (applied early in main.html).
(function () {
  var KEY = "gongkai-prefs";
  var CLASSES = { large: "gk-large", contrast: "gk-contrast" };
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function apply(prefs) {
    Object.keys(CLASSES).forEach(function (k) {
      document.documentElement.classList.toggle(CLASSES[k], !!prefs[k]);
      document.querySelectorAll('[data-gk-pref="' + k + '"]').forEach(function (b) {
        b.setAttribute("aria-pressed", prefs[k] ? "true" : "false");
      });
    });
  }
  function wire() {
    var prefs = load();
    apply(prefs);
    document.querySelectorAll("[data-gk-pref]").forEach(function (b) {
      b.addEventListener("click", function () {
        var k = b.getAttribute("data-gk-pref");
        prefs[k] = !prefs[k];
        try { localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) {}
        apply(prefs);
      });
    });
  }
  // Wide tables scroll sideways inside Material's wrapper: make such a wrapper reachable
  // and scrollable from the keyboard, and name it for screen readers (WCAG 2.1.1).
  function scrollables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "表格（可左右滚动）");
      } else if (el.getAttribute("role") === "region") {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }
  function start() {
    wire();
    scrollables();
    window.addEventListener("resize", scrollables);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
