/* The web edition's search (read/index.html), with no library and no request but a <script>:
   the index (assets/search-index.js, made by ebook/web/search.py) is loaded as a classic script,
   which browsers allow from file:// where fetching a file is refused (rust-lang/mdBook#704).
   fold() and terms() must stay the same as search.py's; tests/test_web.py checks both. */
(function (root) {
  "use strict";
  // Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, kana, Han.
  var CJK = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff" +
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
  var CJK_RUN = new RegExp("^[" + CJK + "]+$", "u");
  var SPLIT = new RegExp("([" + CJK + "]+)", "u");
  var WORD = /[\p{L}\p{N}]+/gu;
  var MARK = /(?![\u3099\u309a])\p{M}/gu;
  var ARABIC = { "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647", "\u0640": "", "\u03c2": "\u03c3" };

  function fold(text) {
    var kept = text.normalize("NFKC").toLowerCase().normalize("NFD").replace(MARK, "").normalize("NFC");
    return kept.replace(/[\u0671\u0649\u0629\u0640\u03c2]/g, function (c) { return ARABIC[c]; });
  }

  function terms(text) {
    var found = [];
    (fold(text).match(WORD) || []).forEach(function (word) {
      word.split(SPLIT).forEach(function (piece) {
        if (!piece) return;
        if (CJK_RUN.test(piece)) {
          var chars = Array.from(piece);
          for (var i = 0; i + 1 < chars.length; i++) found.push(chars[i] + chars[i + 1]);
          found.push(chars[chars.length - 1]);
        } else {
          found.push(piece);
        }
      });
    });
    return Array.from(new Set(found));
  }

  /* The entries holding a term that begins with word: the terms are sorted, so they are together.
     Compared as strings the way Python sorts them, by code point, not by UTF-16 unit. */
  function codePoints(s) { return Array.from(s, function (c) { return c.codePointAt(0); }); }
  function before(a, b) {
    var x = codePoints(a), y = codePoints(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i];
    return x.length < y.length;
  }
  function entriesFor(index, word) {
    var lo = 0, hi = index.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (before(index.terms[mid], word)) lo = mid + 1; else hi = mid;
    }
    var found = new Set();
    for (var t = lo; t < index.terms.length && index.terms[t].startsWith(word); t++) {
      var n = 0;
      index.postings[t].split(" ").forEach(function (gap) { n += parseInt(gap, 36); found.add(n); });
    }
    return found;
  }

  function search(index, query) {
    var words = terms(query);
    if (!words.length) return null;
    var found = null;
    words.forEach(function (word) {
      var these = entriesFor(index, word);
      found = found === null ? these : new Set(Array.from(found).filter(function (n) { return these.has(n); }));
    });
    return Array.from(found).sort(function (a, b) { return a - b; });
  }

  root.makeBookSearch = { fold: fold, terms: terms, search: search };
  if (typeof document === "undefined") return; // loaded by the tests' Node.js, for fold() and terms()

  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var loading = null;

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = "assets/search-index.js";
        script.onload = function () { resolve(root.MAKE_BOOK_SEARCH); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function show(index, query) {
    var found = search(index, query);
    list.textContent = "";
    if (found === null) { status.textContent = ""; return; }
    status.textContent = found.length
      ? input.dataset.found.replace("{count}", String(found.length))
      : input.dataset.none;
    found.forEach(function (n) {
      var doc = index.docs[n];
      // As the contents lists them: the list in the page's direction, each title in its entry's,
      // each byline in its own (a name in Latin letters may sign an Arabic entry).
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc[0];
      link.lang = doc[3];
      link.dir = doc[4];
      link.textContent = doc[1];
      var byline = document.createElement("span");
      byline.className = "byline";
      byline.lang = doc[3];
      byline.dir = "auto";
      byline.textContent = doc[2];
      item.append(link, " ", byline);
      list.appendChild(item);
    });
  }

  function run() {
    var query = input.value;
    load().then(function (index) {
      if (input.value === query) show(index, query);
    });
    // The query stays in the address, so Back from an entry comes back to its results.
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    try { history.replaceState(null, "", url.href); } catch (e) { /* some browsers refuse it on file:// */ }
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  input.addEventListener("focus", load, { once: true });
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; run(); }
})(typeof window !== "undefined" ? window : globalThis);
