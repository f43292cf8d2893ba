// Site search: mounts Pagefind's UI on the search page and runs the query from ?q=.
(function () {
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9]+/g;

  // The query in the index's spelling (gongkai/search.py character_tokens): one word per
  // Han character, Latin/digit runs kept whole. A single keyword becomes an exact phrase, so
  // 养护工程 matches those four characters in a row; several keywords must all occur.
  function searchTerm(query) {
    var words = String(query || "").trim().split(/\s+/).filter(Boolean);
    var tokens = words.map(function (w) { return (w.match(HAN) || []).join(" ").toLowerCase(); }).filter(Boolean);
    if (tokens.length === 1 && tokens[0].indexOf(" ") > 0) return '"' + tokens[0] + '"';
    return tokens.join(" ");
  }

  // Excerpts may come from the character-spelled text: join the characters back up.
  function tidyExcerpt(html) {
    return String(html || "").replace(/([\u3400-\u9fff\uf900-\ufaff](?:<\/?mark>)?) (?=(?:<\/?mark>)?[\u3400-\u9fff\uf900-\ufaff])/g, "$1");
  }

  window.gongkai = { searchTerm: searchTerm, tidyExcerpt: tidyExcerpt };

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
        processTerm: searchTerm,
        processResult: function (result) { result.excerpt = tidyExcerpt(result.excerpt); return result; },
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
