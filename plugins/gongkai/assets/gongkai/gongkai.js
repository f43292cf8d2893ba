// Site search: mounts Pagefind's UI on the search page and runs the query from ?q=.
(function () {
  var script = document.currentScript;
  var root = new URL("../../", script.src);  // this file lives at assets/gongkai/
  function mount() {
    var el = document.getElementById("gk-search");
    if (!el || el.dataset.mounted) return;
    el.dataset.mounted = "1";
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("pagefind/pagefind-ui.css", root).href;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = new URL("pagefind/pagefind-ui.js", root).href;
    js.onload = function () {
      var ui = new PagefindUI({
        element: "#gk-search",
        bundlePath: new URL("pagefind/", root).href,
        showImages: false,
        showSubResults: false,
        resetStyles: false,
        openFilters: ["栏目"],
        translations: { placeholder: "输入标题、文号、索引号或关键词" }
      });
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) ui.triggerSearch(q);
    };
    document.head.appendChild(js);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
