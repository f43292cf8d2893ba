// Site search: a thin Chinese UI on Pagefind's JS API (facets, sort, 发布日期 and 索引号 in results).
// The search page's markup comes from pages.py; this script only fills it in.
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

  var script = document.currentScript;
  var root = new URL("../../", script.src);  // this file lives at assets/gongkai/
  var FACETS = ["栏目", "主题", "年份", "文种"];
  var PAGE = 20;
  // 文号 such as 澜交发〔2026〕12号 in any bracket style: Pagefind splits Chinese into single
  // characters here, so pages carry an ASCII token for their 文号 (see search_terms.py).
  var DOC_NO = /^\s*([^\d\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*年?\s*(?:第)?\s*(\d+)\s*号?\s*$/;

  function docNoToken(q) {
    var m = DOC_NO.exec(q);
    if (!m) return null;
    var hex = Array.prototype.map.call(new TextEncoder().encode(m[1]), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return "wh" + hex + "y" + m[2] + "n" + String(parseInt(m[3], 10));
  }

  window.gongkai = { searchTerm: searchTerm, tidyExcerpt: tidyExcerpt, docNoToken: docNoToken };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function mount() {
    var form = document.getElementById("gk-search-form");
    if (!form || form.dataset.mounted) return;
    form.dataset.mounted = "1";
    var input = document.getElementById("gk-q");
    var sortSel = document.getElementById("gk-sort");
    var facetsBox = document.getElementById("gk-facets");
    var status = document.getElementById("gk-status");
    var list = document.getElementById("gk-results");
    var more = document.getElementById("gk-more");
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "", filters: {} };
    FACETS.forEach(function (f) { state.filters[f] = params.getAll(f); });
    input.value = state.q;
    sortSel.value = state.sort;
    var pagefind, results = [], shown = 0, seq = 0, facetsOpen = null;

    function saveUrl() {
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      if (state.sort) p.set("sort", state.sort);
      FACETS.forEach(function (f) { state.filters[f].forEach(function (v) { p.append(f, v); }); });
      var qs = p.toString();
      history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
    }

    function pfFilters() {
      var out = {};
      FACETS.forEach(function (f) { if (state.filters[f].length) out[f] = { any: state.filters[f] }; });
      return out;
    }

    // Counts per value: within a facet that has a selection, the counts ignoring filters
    // (its other values stay offered); elsewhere, the counts with every filter applied.
    function renderFacets(search) {
      var counts = {};
      FACETS.forEach(function (f) {
        counts[f] = (state.filters[f].length ? search.totalFilters : search.filters || {})[f] || {};
      });
      facetsBox.textContent = "";
      // A disclosure box: open on wide screens, folded on phones so results come first.
      var box = el("details", { class: "gk-facets__box" });
      if (facetsOpen === null) facetsOpen = window.matchMedia("(min-width: 45em)").matches || FACETS.some(function (f) { return state.filters[f].length; });
      box.open = facetsOpen;
      box.addEventListener("toggle", function () { facetsOpen = box.open; });
      box.appendChild(el("summary", { class: "gk-facets__title" }, "筛选结果（栏目、主题、年份、文种）"));
      facetsBox.appendChild(box);
      FACETS.forEach(function (name) {
        var values = Object.keys(counts[name]).filter(function (v) { return counts[name][v] > 0; });
        state.filters[name].forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
        if (!values.length) return;
        values.sort(name === "年份" ? function (a, b) { return b.localeCompare(a); } : function (a, b) { return a.localeCompare(b, "zh"); });
        var fs = el("fieldset", { class: "gk-facet" });
        fs.appendChild(el("legend", {}, name));
        values.forEach(function (v, i) {
          var id = "gk-f-" + FACETS.indexOf(name) + "-" + i;
          var row = el("div", { class: "gk-facet__option" });
          var check = el("input", { type: "checkbox", id: id, value: v });
          check.checked = state.filters[name].indexOf(v) >= 0;
          check.addEventListener("change", function () {
            var sel = state.filters[name];
            if (check.checked) sel.push(v); else sel.splice(sel.indexOf(v), 1);
            run();
          });
          var label = el("label", { for: id }, v + "（" + ((counts[name] || {})[v] || 0) + "）");
          row.appendChild(check);
          row.appendChild(label);
          fs.appendChild(row);
        });
        box.appendChild(fs);
      });
    }

    function esc(text) {
      return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
    }

    // The excerpt from the page's own text, not from the character-spelled copy that the
    // match came from: the first keyword in context, or else the item's 内容概述.
    function excerpt(d) {
      var text = d.content || "";
      var copy = text.indexOf(((d.meta.title || "").match(HAN) || []).join(" ").toLowerCase());  // where the copy starts
      if (copy > 0) text = text.slice(0, copy);
      var needle = state.q.split(/\s+/)[0] || "";
      var title = d.meta.title || "";
      var at = needle ? text.indexOf(needle, text.indexOf(title) === 0 ? title.length : 0) : -1;  // past the title if it can
      if (at < 0 && needle) at = text.indexOf(needle);
      if (at < 0) return esc(d.meta.summary || "");
      var start = Math.max(0, at - 30), end = Math.min(text.length, at + needle.length + 60);
      return (start > 0 ? "…" : "") + esc(text.slice(start, at)) + "<mark>" + esc(needle) + "</mark>" +
        esc(text.slice(at + needle.length, end)) + (end < text.length ? "…" : "");
    }

    function renderMore() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      var mine = seq;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== seq) return;
        data.forEach(function (d) {
          var li = el("li", { class: "gk-result" });
          var h = el("h2", { class: "gk-result__title" });
          h.appendChild(el("a", { href: d.url }, d.meta.title || d.url));
          li.appendChild(h);
          var meta = el("p", { class: "gk-result__meta" });
          if (d.meta.date) meta.appendChild(el("span", {}, "发布日期：" + d.meta.date));
          if (d.meta.index_no) meta.appendChild(el("span", {}, "索引号：" + d.meta.index_no));
          if (d.meta.doc_no) meta.appendChild(el("span", {}, "文号：" + d.meta.doc_no));
          if (d.meta.status) meta.appendChild(el("span", { class: "gk-result__status" }, d.meta.status));
          li.appendChild(meta);
          var ex = el("p", { class: "gk-result__excerpt" });
          ex.innerHTML = excerpt(d);  // escaped text and one <mark>
          li.appendChild(ex);
          list.appendChild(li);
        });
      });
    }

    // An exact-phrase search scores every hit alike, so order its hits by the same characters
    // searched without the phrase rule, where title and 文号 weigh more (pages.py).
    function byRelevance(search, opts) {
      var term = searchTerm(state.q);
      if (term.charAt(0) !== '"' || search.results.length < 2) return search;
      return pagefind.search(term.slice(1, -1), opts).then(function (ranked) {
        var rank = {};
        ranked.results.forEach(function (r, i) { rank[r.id] = i; });
        search.results.sort(function (a, b) { return (a.id in rank ? rank[a.id] : 1e9) - (b.id in rank ? rank[b.id] : 1e9); });
        return search;
      });
    }

    function run() {
      saveUrl();
      var mine = ++seq;
      var opts = { filters: pfFilters() };
      if (state.sort) {
        var parts = state.sort.split(":");
        opts.sort = {};
        opts.sort[parts[0]] = parts[1];
      } else if (!state.q) {
        opts.sort = { date: "desc" };  // nothing typed: newest first
      }
      status.textContent = "正在搜索……";
      var token = state.q ? docNoToken(state.q) : null;
      var first = token ? pagefind.search(token, opts) : Promise.resolve(null);
      return first.then(function (exact) {
        if (exact && exact.results.length) return exact;
        return pagefind.search(state.q ? searchTerm(state.q) : null, opts).then(function (search) {
          return state.sort ? search : byRelevance(search, opts);
        });
      }).then(function (search) {
        if (mine !== seq || !state.q || state.sort) return search;
        // Someone who types a whole title wants that document first, even when a longer
        // page (its interpretation, say) mentions the title more often.
        var top = search.results.slice(0, 10);
        return Promise.all(top.map(function (r) { return r.data(); })).then(function (data) {
          var exact = data.findIndex(function (d) { return (d.meta.title || "").trim() === state.q; });
          if (exact > 0) search.results.unshift(search.results.splice(exact, 1)[0]);
          return search;
        });
      }).then(function (search) {
        if (mine !== seq) return;
        results = search.results;
        shown = 0;
        list.textContent = "";
        renderFacets(search);
        var what = state.q ? "“" + state.q + "”" : "全部信息";
        var message = results.length ? "找到 " + results.length + " 条" + what + "的结果" : "没有找到" + what + "的结果，请换个关键词或减少筛选条件。";
        return renderMore().then(function () { if (mine === seq) status.textContent = message; });
      });
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      state.q = input.value.trim();
      run();
    });
    sortSel.addEventListener("change", function () { state.sort = sortSel.value; run(); });
    more.addEventListener("click", function () {
      var before = list.children.length;
      renderMore().then(function () {
        var next = list.children[before];
        if (next) { var a = next.querySelector("a"); if (a) a.focus(); }
      });
    });

    import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
      pagefind = pf;
      return pf.options({ baseUrl: root.pathname, excerptLength: 40 })
        .then(function () { return pf.init(); })
        .then(function () { return pf.filters(); });  // loads the filter index, so results carry counts
    }).then(run).catch(function () {
      status.textContent = "搜索暂时不可用，请通过主动公开目录和主题分类浏览。";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
