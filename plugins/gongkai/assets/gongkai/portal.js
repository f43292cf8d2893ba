// The navigation drawer from the keyboard (WCAG 2.1.1). Material opens its drawer with a checkbox
// (#__drawer) and a <label>, which a keyboard cannot reach: the header's real <button> toggles that
// checkbox instead, says whether the drawer is open, moves focus into it and back, and Escape
// closes it. While closed, CSS hides the drawer (visibility), so its links leave the tab order.
(function () {
  var here = document.currentScript && document.currentScript.src;
  // The online application form's script, only on the page that has the form.
  function loadApplyForm() {
    if (!here || !document.getElementById("gk-apply")) return;
    var script = document.createElement("script");
    script.src = here.replace(/portal\.js(\?.*)?$/, "apply.js");
    document.body.appendChild(script);
  }
  function start() {
    loadApplyForm();
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector(".gk-menu");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !button || !drawer) return;
    function sync() {
      button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
      button.setAttribute("aria-label", toggle.checked ? "关闭导航菜单" : "打开导航菜单");
    }
    function set(open, focusInside) {
      toggle.checked = open;
      sync();
      if (open && focusInside) {
        var first = drawer.querySelector("a[href], [tabindex='0']");
        // Wait for the drawer to become visible (CSS) before moving focus into it.
        if (first) window.setTimeout(function () { first.focus(); }, 30);
      }
      if (!open) button.focus();
    }
    button.addEventListener("click", function () { set(!toggle.checked, true); });
    toggle.addEventListener("change", sync);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) set(false);
    });
    // A page shown again from the back/forward cache opens with the drawer closed.
    window.addEventListener("pageshow", function () { toggle.checked = false; sync(); });
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
