// Site search: a Chinese UI on Pagefind's JS API (facets, sort, 发布日期 and 索引号 in results).
// The index holds each page's text as overlapping character pairs (site/search_doc.py); this
// script spells queries the same way, so it decides what matches, not Pagefind's segmenter.
(function () {
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_CHAR = new RegExp("[" + HAN + "]", "u");
  var HAN_ALL = new RegExp("[" + HAN + "]", "gu");
  // search_doc._PIECE: a Han run (punctuation inside does not end it), a letter run, or digits.
  var PIECE = new RegExp("[" + HAN + "](?:[^\\p{L}\\p{N}_]*[" + HAN + "])*|(?:(?![" + HAN + "])[\\p{L}\\p{Nl}\\p{No}])+|\\p{Nd}+", "gu");
  var GAP = "\u2063";
  var HEADING_WORDS = 128;  // search_doc.HEADING_WORDS: a match below this word position is in the title or 文号
  var INDEX_LANGUAGE = "und";  // search_doc.FORCE_LANGUAGE: Pagefind must not segment the query

  // The index words of a query word: pairs of neighbouring Han characters, Latin and digit runs
  // whole. A run's last character stands alone only where something follows it in the query
  // (the index has it alone only at a run's end); a lone last character is left to the caller.
  function pairWords(text) {
    var pieces = String(text || "").normalize("NFKC").toLowerCase().match(PIECE) || [];
    var out = [];
    pieces.forEach(function (p, i) {
      if (!HAN_CHAR.test(p.charAt(0))) { out.push(p); return; }
      var chars = p.match(HAN_ALL);
      for (var k = 0; k + 1 < chars.length; k++) out.push(chars[k] + chars[k + 1]);
      if (chars.length === 1 || i + 1 < pieces.length) out.push(chars[chars.length - 1]);
    });
    if (out.length > 1 && out[out.length - 1].length === 1 && HAN_CHAR.test(out[out.length - 1])) out.pop();
    return out;
  }

  // One Pagefind query for text: an exact phrase of its pairs, or, for one Han character, every
  // index word starting with it (each character of the text starts a pair or ends a run).
  function unitTerm(text) {
    var words = pairWords(text);
    if (!words.length) return null;
    if (words.length === 1 && words[0].length === 1 && HAN_CHAR.test(words[0])) return words[0];
    return '"' + words.join(" ") + '"';
  }

  // A word of Han characters only is asked for by some of its pairs, each with its offset in the
  // word: every other pair and the last hold every character, and their word positions show
  // whether they stand in a row. Fewer pairs, fewer index chunks to download. Other words
  // (letters, digits, a 文号) are one exact phrase. Returns [{term, at}], or null.
  function spacedPairs(word) {
    var chars = word.normalize("NFKC").match(HAN_ALL) || [];
    if (!chars.length || chars.length !== (word.normalize("NFKC").match(/[\p{L}\p{N}]/gu) || []).length) return null;
    if (chars.length === 1) return [{ term: chars[0], at: 0 }];  // every word starting with it
    var out = [];
    for (var i = 0; i + 1 < chars.length; i += 2) out.push({ term: chars[i] + chars[i + 1], at: i });
    if (chars.length % 2) out.push({ term: chars[chars.length - 2] + chars[chars.length - 1], at: chars.length - 2 });
    return out;
  }

  // 文号 in any bracket style (〔2026〕, [2026], (2026), 2026年第12号) spelled as the site writes it.
  var DOC_NO = /^\s*([^\d\s〔〕\[\]()（）【】]+?)\s*[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*年?\s*(?:第)?\s*(\d+)\s*号?\s*$/;
  function docNo(q) {
    var m = DOC_NO.exec(q);
    return m && HAN_CHAR.test(m[1]) ? m[1] + "〔" + m[2] + "〕" + parseInt(m[3], 10) + "号" : null;
  }

  // The query's words: what the browser's segmenter finds, neighbouring single characters joined
  // (养户 → 养/户 → 养户); any other single character joins the word before it (车辆购置税 →
  // 车辆/购置/税 → 车辆/购置税), unless it is a function word (的, 和, 与 …), which is left out.
  var FUNCTION_CHARS = "的和与及或在了对为是等之把被从向将其并";
  function queryWords(q) {
    var seg = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
    var words = [];
    q.split(/\s+/).filter(Boolean).forEach(function (part) {
      var parts = seg ? Array.from(seg.segment(part)).filter(function (s) { return s.isWordLike; }).map(function (s) { return s.segment; }) : [part];
      var merged = [], single = "";
      parts.forEach(function (w) {
        if (w.length === 1 && HAN_CHAR.test(w)) { single += w; return; }
        if (single) { merged.push(single); single = ""; }
        merged.push(w);
      });
      if (single) merged.push(single);
      merged.forEach(function (w, i) {
        var lone = w.length === 1 && HAN_CHAR.test(w);
        if (!lone || merged.length === 1) words.push(w);
        else if (FUNCTION_CHARS.indexOf(w) >= 0) return;
        else if (i > 0 && words.length) words[words.length - 1] += w;
        else merged[i + 1] = w + merged[i + 1];
      });
    });
    return words;
  }

  // The query and its spellings with synonyms from catalog.yml (公交 ⇄ 公共交通), original first.
  function variants(q, synonyms) {
    var out = [q];
    (synonyms || []).forEach(function (group) {
      var found = group.filter(function (t) { return q.indexOf(t) >= 0; }).sort(function (a, b) { return b.length - a.length; })[0];
      if (!found) return;
      out.slice().forEach(function (v) {
        if (v.indexOf(found) < 0) return;
        group.forEach(function (t) { if (t !== found && out.length < 8) out.push(v.split(found).join(t)); });
      });
    });
    return out;
  }

  // A page's text from its stored index words (a pair stands for its first character; the
  // padding words for nothing) and its "gaps" metadata: the punctuation and breaks left out of
  // the words, each after a step in Braille-block characters (search_doc.IndexText).
  function isStep(ch) { var c = ch.codePointAt(0); return c >= 0x2800 && c <= 0x28ff; }
  function pageText(content, gaps) {
    var src = Array.from(String(content || "").split(" ").map(function (w) {
      if (w === GAP) return "";
      var han = w.match(HAN_ALL);
      return han && han.length === 2 ? han[0] : w;
    }).join(""));
    var g = Array.from(gaps || ""), out = [], pos = 0, i = 0;
    while (i < g.length) {
      var step = 0, v;
      do { v = g[i].codePointAt(0) - 0x2800; step += v; i++; } while (v === 255 && i < g.length);
      var mark = "";
      while (i < g.length && !isStep(g[i])) mark += g[i++];
      out.push(src.slice(pos, pos + step).join(""), mark);
      pos += step;
    }
    out.push(src.slice(pos).join(""));
    return out.join("").replace(/\u2063+/g, " ").trim();
  }

  // Closest terms by edit distance (养户 → 养护), for the page with no results.
  function distance(a, b) {
    var prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var cur = [i];
      for (j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  }
  function suggest(q, terms) {
    var limit = q.length <= 3 ? 1 : 2;
    return (terms || []).map(function (t, i) { return { t: t, d: distance(q, t), i: i }; })
      .filter(function (c) { return c.d > 0 && c.d <= limit && Math.abs(c.t.length - q.length) <= 1; })
      .sort(function (a, b) { return a.d - b.d || a.i - b.i; }).slice(0, 5).map(function (c) { return c.t; });
  }

  window.gongkai = { pairWords: pairWords, unitTerm: unitTerm, docNo: docNo, queryWords: queryWords, variants: variants, pageText: pageText, suggest: suggest };

  window.gongkai.indexLanguage = INDEX_LANGUAGE;
  window.gongkai.headingWords = HEADING_WORDS;
  window.gongkai.spacedPairs = spacedPairs;
})();

// The search page (templates/gk/search.html): runs each query as exact phrases over the pair
// index, ranks, and fills in results, facets and suggestions.
(function () {
  var g = window.gongkai;
  var root = new URL("../../", document.currentScript.src);  // this file lives at assets/gongkai/
  var FACETS = ["栏目", "主题", "有效性", "年份", "文种"];
  var PAGE = 10;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function esc(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Each spelling of the query (synonyms): its words (all must occur, any order) and, for the
  // exact phrase, where each word starts in the query. A 文号 is only ever the whole phrase.
  function plan(q, synonyms) {
    var doc = g.docNo(q);
    return g.variants(doc || q, synonyms).map(function (v) {
      var whole = v.replace(/\s+/g, "").normalize("NFKC"), from = 0;
      var words = (doc ? [whole] : g.queryWords(v)).map(function (w) {
        w = w.normalize("NFKC");
        var at = whole.indexOf(w, from);
        from = at < 0 ? from : at + w.length;
        return { text: w, at: Math.max(at, 0), pairs: g.spacedPairs(w), term: g.unitTerm(w) };
      }).filter(function (w) { return w.pairs || w.term; });
      return { words: words, phrase: g.unitTerm(whole) };
    }).filter(function (u) { return u.words.length; });
  }

  // Pages where all the specs' pairs stand in a row: id → {result, start (word position)}.
  function inRow(specs, maps) {
    var hits = {};
    Object.keys(maps[0]).forEach(function (id) {
      if (!maps.every(function (m) { return id in m; })) return;
      var best = Infinity;
      maps[0][id].at.forEach(function (p) {
        var start = p - specs[0].at;
        if (start < best && specs.every(function (s, k) { return maps[k][id].at.has(start + s.at); })) best = start;
      });
      if (best < Infinity) hits[id] = { result: maps[0][id].result, start: best, order: maps[0][id].order };
    });
    return hits;
  }

  function mount() {
    var form = document.getElementById("gk-search-form");
    if (!form || form.dataset.mounted) return;
    form.dataset.mounted = "1";
    var input = document.getElementById("gk-q");
    var sortSel = document.getElementById("gk-sort");
    var box = document.getElementById("gk-facets-box");
    var facetsBody = document.getElementById("gk-facets-body");
    var status = document.getElementById("gk-status");
    var list = document.getElementById("gk-results");
    var more = document.getElementById("gk-more");
    var help = document.getElementById("gk-suggest");
    var archiveButton = document.getElementById("gk-archive");
    var config = {};
    try { config = JSON.parse(document.getElementById("gk-search-config").textContent); } catch (e) { config = {}; }
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "", all: params.get("all") === "1", filters: {} };
    FACETS.forEach(function (f) { state.filters[f] = params.getAll(f); });
    input.value = state.q;
    sortSel.value = state.sort;
    var pagefind, results = [], shown = 0, seq = 0, filtersLoaded = false, focusKey = null;
    var hasFilters = FACETS.some(function (f) { return state.filters[f].length; });

    function saveUrl() {
      var p = new URLSearchParams();
      if (state.q) p.set("q", state.q);
      if (state.sort) p.set("sort", state.sort);
      if (state.all) p.set("all", "1");
      FACETS.forEach(function (f) { state.filters[f].forEach(function (v) { p.append(f, v); }); });
      var qs = p.toString();
      history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
    }

    function options(sort) {
      var filters = {};
      FACETS.forEach(function (f) { if (state.filters[f].length) filters[f] = { any: state.filters[f] }; });
      return sort ? { filters: filters, sort: sort } : { filters: filters };
    }

    function userSort() {
      if (!state.sort) return null;
      var parts = state.sort.split(":"), sort = {};
      sort[parts[0]] = parts[1];
      return sort;
    }

    // Counts per value: within a facet that has a selection, the counts ignoring filters (its
    // other values stay offered); elsewhere, with every filter applied. Filter data loads only
    // once the panel is opened, so a plain search downloads none of it.
    function renderFacets(search) {
      facetsBody.textContent = "";
      if (!filtersLoaded || !search) return;
      FACETS.forEach(function (name, fi) {
        var counts = (state.filters[name].length ? search.totalFilters : search.filters || {})[name] || {};
        var values = Object.keys(counts).filter(function (v) { return counts[v] > 0; });
        state.filters[name].forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
        if (!values.length) return;
        values.sort(name === "年份" ? function (a, b) { return b.localeCompare(a); } : function (a, b) { return a.localeCompare(b, "zh"); });
        var fs = el("fieldset", { class: "gk-facet" });
        fs.appendChild(el("legend", {}, name));
        values.forEach(function (v, i) {
          var id = "gk-f-" + fi + "-" + i;
          var row = el("div", { class: "gk-facet__option" });
          var check = el("input", { type: "checkbox", id: id, value: v, "data-key": name + "=" + v });
          check.checked = state.filters[name].indexOf(v) >= 0;
          check.addEventListener("change", function () {
            var sel = state.filters[name];
            if (check.checked) sel.push(v); else sel.splice(sel.indexOf(v), 1);
            focusKey = name + "=" + v;  // the panel is rebuilt: keep the reader on this box
            run();
          });
          row.appendChild(check);
          row.appendChild(el("label", { for: id }, v + "（" + (counts[v] || 0) + "）"));
          fs.appendChild(row);
        });
        facetsBody.appendChild(fs);
      });
      if (focusKey) {
        var again = Array.prototype.find.call(facetsBody.querySelectorAll("input"), function (c) { return c.dataset.key === focusKey; });
        if (again) again.focus();
        focusKey = null;
      }
    }

    function excerpt(d, words) {
      var text = g.pageText(d.content, d.meta.gaps).normalize("NFKC");
      var head = [d.meta.title || "", d.meta.doc_no || ""].join(" ").normalize("NFKC");
      var from = text.indexOf(head.trim()) === 0 ? head.trim().length : 0;  // past the title and 文号
      var lower = text.toLowerCase(), at = -1, needle = "";
      words.forEach(function (w) {
        var i = lower.indexOf(w.normalize("NFKC").toLowerCase(), from);
        if (i >= 0 && (at < 0 || i < at)) { at = i; needle = text.substr(i, w.length); }
      });
      if (at < 0) return esc(d.meta.summary || "");
      var start = Math.max(from, at - 30), end = Math.min(text.length, at + needle.length + 60);
      return (start > from ? "…" : "") + esc(text.slice(start, at)) + "<mark>" + esc(needle) + "</mark>" +
        esc(text.slice(at + needle.length, end)) + (end < text.length ? "…" : "");
    }

    // Within the page shown: a document whose title is the query first; an interpretation
    // right after the policy it interprets.
    function arrange(data) {
      var q = state.q.normalize("NFKC").replace(/[“”"《》\s]/g, "");
      var exact = data.findIndex(function (d) { return (d.meta.title || "").normalize("NFKC").replace(/[“”"《》\s]/g, "") === q; });
      if (exact > 0 && shown <= PAGE) data.unshift(data.splice(exact, 1)[0]);
      data.slice().forEach(function (d) {
        if (!d.meta.interprets) return;
        var at = data.findIndex(function (p) { return p.meta.index_no === d.meta.interprets; });
        var mine = data.indexOf(d);
        if (at < 0 || mine === at + 1) return;
        data.splice(mine, 1);
        data.splice(data.findIndex(function (p) { return p.meta.index_no === d.meta.interprets; }) + 1, 0, d);
      });
      return data;
    }

    function renderMore(words) {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      var mine = seq;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== seq) return;
        arrange(data).forEach(function (d) {
          var li = el("li", { class: "gk-result" });
          var h = el("h2", { class: "gk-result__title" });
          h.appendChild(el("a", { href: d.url }, d.meta.title || d.url));
          li.appendChild(h);
          var meta = el("p", { class: "gk-result__meta" });
          if (d.meta.date) meta.appendChild(el("span", {}, "发布日期：" + d.meta.date));
          if (d.meta.index_no) meta.appendChild(el("span", {}, "索引号：" + d.meta.index_no));
          if (d.meta.doc_no) meta.appendChild(el("span", {}, "文号：" + d.meta.doc_no));
          if (d.meta.status) meta.appendChild(el("span", { class: "gk-result__status" }, d.meta.status));
          if (d.meta.interprets) meta.appendChild(el("span", { class: "gk-result__kind" }, "政策解读"));
          li.appendChild(meta);
          var ex = el("p", { class: "gk-result__excerpt" });
          ex.innerHTML = excerpt(d, words);  // escaped text and one <mark>
          li.appendChild(ex);
          list.appendChild(li);
        });
      });
    }

    function renderHelp() {
      help.textContent = "";
      if (results.length || !state.q) return;
      var near = g.suggest(state.q.replace(/\s+/g, ""), config.terms);
      if (near.length) {
        var p = el("p", {}, "您是不是要找：");
        near.forEach(function (t, i) {
          if (i) p.appendChild(document.createTextNode("、"));
          p.appendChild(el("a", { href: "?q=" + encodeURIComponent(t), class: "gk-suggest__term" }, t));
        });
        help.appendChild(p);
      }
      if ((config.columns || []).length) {
        var c = el("p", {}, "也可以按栏目浏览：");
        config.columns.forEach(function (col, i) {
          if (i) c.appendChild(document.createTextNode("、"));
          c.appendChild(el("a", { href: new URL(col.href, root).pathname }, col.name));
        });
        help.appendChild(c);
      }
    }

    // One Pagefind search per distinct term, in the rank (or the reader's) order: id → {result,
    // positions, order}. An exact phrase reports its first position only, which is all it is used for.
    function searcher(sort) {
      var cache = {};
      return function (term) {
        if (!cache[term]) {
          cache[term] = pagefind.search(term, options(sort)).then(function (s) {
            var m = {};
            s.results.forEach(function (r, i) { m[r.id] = { result: r, at: new Set(r.words), order: i, search: s }; });
            m[""] = s;
            return m;
          });
        }
        return cache[term];
      };
    }

    function wordHits(word, find) {
      if (!word.pairs) {
        return find(word.term).then(function (m) {
          var hits = {};
          Object.keys(m).forEach(function (id) { if (id) hits[id] = { result: m[id].result, start: Math.min.apply(null, Array.from(m[id].at)), order: m[id].order }; });
          return hits;
        });
      }
      return Promise.all(word.pairs.map(function (p) { return find(p.term); })).then(function (maps) {
        return inRow(word.pairs, maps.map(function (m) { var c = Object.assign({}, m); delete c[""]; return c; }));
      });
    }

    // Order: the title containing the query (as one phrase, then all its words), then the text
    // containing the exact phrase (as typed, then with synonyms), then the rest with all words;
    // ties by the index's "rank" sort (有效, 已修订, 已废止, then newest) or the reader's sort.
    function variantHits(u, vi, find, cand) {
      return Promise.all(u.words.map(function (w) { return wordHits(w, find); })).then(function (perWord) {
        var allHan = u.words.every(function (w) { return w.pairs; });
        var phrase = allHan
          ? Promise.all(u.words.map(function (w) { return Promise.all(w.pairs.map(function (p) { return find(p.term); })); })).then(function (maps) {
              var specs = [], flat = [];
              u.words.forEach(function (w, i) { w.pairs.forEach(function (p, k) { specs.push({ term: p.term, at: w.at + p.at }); var c = Object.assign({}, maps[i][k]); delete c[""]; flat.push(c); }); });
              return inRow(specs, flat);
            })
          : wordHits({ term: u.phrase }, find);
        return phrase.then(function (inPhrase) {
          Object.keys(perWord[0]).forEach(function (id) {
            if (!perWord.every(function (h) { return id in h; }) && !(id in inPhrase)) return;
            var head = id in inPhrase && inPhrase[id].start < g.headingWords ? 0
              : perWord.every(function (h) { return id in h && h[id].start < g.headingWords; }) ? 1 : 2;
            var c = { result: perWord[0][id].result, title: head, tier: id in inPhrase ? (vi ? 1 : 0) : 2, pos: perWord[0][id].order };
            var old = cand[id];
            if (!old || c.title * 3 + c.tier < old.title * 3 + old.tier) cand[id] = c;
          });
          Object.keys(inPhrase).forEach(function (id) {
            if (!(id in cand)) cand[id] = { result: inPhrase[id].result, title: inPhrase[id].start < g.headingWords ? 0 : 2, tier: vi ? 1 : 0, pos: inPhrase[id].order };
          });
        });
      });
    }

    function search() {
      if (!state.q) return pagefind.search(null, options(userSort() || { date: "desc" })).then(function (s) { return { list: s.results, counts: s }; });
      var units = plan(state.q, config.synonyms);
      var find = searcher(userSort() || { rank: "desc" });
      var cand = {};
      return Promise.all(units.map(function (u, vi) { return variantHits(u, vi, find, cand); })).then(function () {
        var ranked = Object.keys(cand).map(function (id) { return cand[id]; });
        ranked.sort(state.sort ? function (a, b) { return a.pos - b.pos; } : function (a, b) { return a.title - b.title || a.tier - b.tier || a.pos - b.pos; });
        var w = units.length && units[0].words[0];
        var counts = w ? find(w.pairs ? w.pairs[0].term : w.term).then(function (m) { return m[""]; }) : Promise.resolve(null);
        return counts.then(function (c) {
          return { list: ranked.map(function (x) { return x.result; }), counts: c, words: units.reduce(function (all, u) { return all.concat(u.words.map(function (x) { return x.text; })); }, []) };
        });
      });
    }

    // Older months are in further bundles (search.index_site): added when the reader asks, or
    // when the newest years give less than a page of results.
    var archive = [], merging = null;
    function mergeArchive() {
      if (!merging) {
        state.all = true;
        merging = Promise.all(archive.map(function (a) {
          return pagefind.mergeIndex(new URL(a.path, root).pathname, { language: g.indexLanguage, baseUrl: root.pathname });
        }));
      }
      return merging;
    }
    function offerArchive() {
      var more = archive.length && !merging && state.q;
      archiveButton.hidden = !more;
      if (!more) return false;
      var years = archive.map(function (a) { return a.from.slice(0, 4); }).concat(archive.map(function (a) { return a.to.slice(0, 4); })).sort();
      archiveButton.textContent = "同时检索 " + years[0] + "—" + years[years.length - 1] + " 年的信息";
      return results.length < PAGE;
    }

    function run() {
      saveUrl();
      var mine = ++seq;
      status.textContent = "正在搜索……";
      return search().then(function (found) {
        if (mine !== seq) return;
        results = found.list;
        if (offerArchive()) return mergeArchive().then(run);
        shown = 0;
        list.textContent = "";
        // The counts are the first word's: with nothing found, only the reader's own choices remain (to untick).
        renderFacets(results.length ? found.counts : { filters: {}, totalFilters: {} });
        renderHelp();
        var what = state.q ? "“" + state.q + "”" : "全部信息";
        var message = results.length ? "找到 " + results.length + " 条" + what + "的结果" : "没有找到" + what + "的结果，请换个关键词或减少筛选条件。";
        return renderMore(found.words || []).then(function () { if (mine === seq) status.textContent = message; });
      });
    }

    var filtersLoading = null;
    function loadFilters() {
      if (!filtersLoading) filtersLoading = pagefind.filters().then(function () { filtersLoaded = true; });
      return filtersLoading;
    }

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      state.q = input.value.trim();
      run();
    });
    sortSel.addEventListener("change", function () { state.sort = sortSel.value; run(); });
    box.addEventListener("toggle", function () { if (box.open && pagefind && !filtersLoading) loadFilters().then(run); });
    archiveButton.addEventListener("click", function () { mergeArchive().then(run); archiveButton.hidden = true; input.focus(); });
    more.addEventListener("click", function () {
      var before = list.children.length;
      renderMore(g.queryWords(state.q)).then(function () {
        var next = list.children[before];
        if (next) { var a = next.querySelector("a"); if (a) a.focus(); }
      });
    });

    import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
      pagefind = pf;
      return pf.options({ baseUrl: root.pathname, excerptLength: 0 }).then(function () {
        // Pagefind takes its language from <html lang> as it starts; the index is read as
        // search_doc.FORCE_LANGUAGE so that the query is not segmented a second time.
        var html = document.documentElement, lang = html.getAttribute("lang");
        html.setAttribute("lang", g.indexLanguage);
        var started = pf.init();
        html.setAttribute("lang", lang);
        return started;
      });
    }).then(function () {
      return fetch(new URL("pagefind/gongkai-shards.json", root)).then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (d) { archive = d.archive || []; }, function () { archive = []; });
    }).then(function () {
      if (state.all && archive.length) return mergeArchive();
    }).then(function () {
      if (hasFilters) { box.open = true; return loadFilters(); }
    }).then(run).catch(function () {
      status.textContent = "搜索暂时不可用，请通过主动公开目录和主题分类浏览。";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
