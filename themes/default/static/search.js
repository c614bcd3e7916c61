// The search page over brief's static index (search/index/ under each language's home).
// A query fetches only the dictionary chunk of each word, the postings of common words
// (rare ones are inline), and the results it shows; filters fetch the documents' values
// and the chosen values' lists. No server, no third party. See docs/search.md.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = script.dataset;
  var root = data.root;
  var base = data.index;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filtersBox = document.getElementById("search-filters");
  var sortBox = document.getElementById("search-sort");
  var more = document.getElementById("search-more");
  var lang = document.documentElement.lang || "en";
  // Each filter's key and its name in the page's language, from the template.
  var names = document.getElementById("search-filter-names");
  var labels = Array.prototype.map.call(names ? names.content.querySelectorAll("span") : [], function (s) {
    return { key: s.dataset.key, label: s.textContent };
  });
  // "3 briefings found" in the page's language: its plural forms come from the theme.
  var forms = JSON.parse(data.found || "{}");
  var plural = new Intl.PluralRules(lang);
  var PAGE = 10;
  var MOST_VALUES = 12;
  // Filter counts read at most this many files of documents' values, newest first.
  var FACET_FILES = 12;
  var EXCERPT_WORDS = 24;
  var TITLE_BOOST = 3;
  var meta = null;
  var files = {};
  var chosen = {};
  var shown = PAGE;
  var generation = 0;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(lang, { granularity: "word" }) : null;
  var utf8 = new TextDecoder();

  function found(n) {
    return (forms[plural.select(n)] || forms.other || "{n}").replace("{n}", n);
  }

  // ---- Fetching the index's files: each once, gzip undone in the browser.

  function fetchBytes(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.arrayBuffer();
    });
  }

  function gunzip(buffer) {
    var bytes = new Uint8Array(buffer);
    // A host that already undid the gzip hands over the plain bytes.
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function file(name) {
    if (!files[name]) {
      files[name] = fetchBytes(base + name + "?v=" + meta.version).then(gunzip);
    }
    return files[name];
  }

  function json(name) {
    return file(name).then(function (bytes) { return JSON.parse(utf8.decode(bytes)); });
  }

  // ---- Reading the binary files (see src/search/encode.rs).

  function Reader(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  Reader.prototype.varint = function () {
    var n = 0, shift = 1, b;
    do {
      b = this.bytes[this.at++];
      n += (b & 0x7f) * shift;
      shift *= 128;
    } while (b & 0x80);
    return n;
  };
  Reader.prototype.take = function (n) {
    var part = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return part;
  };
  // Bytes written after those they share with `before`.
  Reader.prototype.afterShared = function (before) {
    var shared = this.varint();
    var rest = this.take(this.varint());
    var out = new Uint8Array(shared + rest.length);
    out.set(before.subarray(0, shared));
    out.set(rest, shared);
    return out;
  };

  // A dictionary chunk: each form with its stem, how many briefings have the stem, and
  // its postings (inline bytes, or the name of their file).
  function parseChunk(bytes) {
    var r = new Reader(bytes);
    var count = r.varint();
    var entries = [];
    var previous = new Uint8Array(0);
    for (var i = 0; i < count; i++) {
      var form = r.afterShared(previous);
      var stem = r.afterShared(form);
      var df = r.varint();
      var size = r.varint();
      var entry = { form: utf8.decode(form), stem: utf8.decode(stem), df: df };
      if (size > 0) entry.inline = r.take(size);
      else entry.file = utf8.decode(r.take(r.varint()));
      entries.push(entry);
      previous = form;
    }
    return entries;
  }

  function chunk(n) {
    var name = "d/" + n + ".bin";
    if (!files["parsed:" + name]) files["parsed:" + name] = file(name).then(parseChunk);
    return files["parsed:" + name];
  }

  // Postings: the numbers of the briefings as gaps, then a weight byte for each.
  function postings(df, bytes) {
    var r = new Reader(bytes);
    var ids = new Uint32Array(df);
    var last = 0;
    for (var i = 0; i < df; i++) {
      last += r.varint();
      ids[i] = last;
    }
    return { ids: ids, weights: bytes.subarray(r.at, r.at + df) };
  }

  function idList(bytes) {
    var r = new Reader(bytes);
    var count = r.varint();
    var ids = new Uint32Array(count);
    var last = 0;
    for (var i = 0; i < count; i++) {
      last += r.varint();
      ids[i] = last;
    }
    return ids;
  }

  // ---- Words, as the index splits them (Unicode word boundaries, lowercase, ’ as ').

  function words(text) {
    var out = [];
    if (segmenter) {
      for (var s of segmenter.segment(text)) {
        if (s.isWordLike) out.push(s.segment);
      }
    } else {
      out = text.split(/[^\p{L}\p{N}\p{M}']+/u).filter(Boolean);
    }
    return out.map(function (w) { return w.toLowerCase().replace(/\u2019/g, "'"); });
  }

  // Strings in code point order, as the index sorts them.
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x === y) continue;
      var sx = x >= 0xd800 && x <= 0xdfff, sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
    return a.length - b.length;
  }

  // The chunk that holds `form`, if the dictionary has it.
  function chunkOf(form) {
    var lo = 0, hi = meta.chunks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(meta.chunks[mid], form) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The stems a typed word stands for: its own form's, and for the last word of the
  // query (still being typed) those of the forms it begins, the most common first.
  function stemsOf(word, prefix) {
    var first = chunkOf(word);
    var wanted = [first];
    if (prefix && first + 1 <= meta.chunks.length && meta.chunks[first] !== undefined &&
        meta.chunks[first].indexOf(word) === 0) wanted.push(first + 1);
    return Promise.all(wanted.map(chunk)).then(function (chunks) {
      var stems = {};
      chunks.forEach(function (entries) {
        entries.forEach(function (e) {
          var exact = e.form === word;
          if (!exact && !(prefix && word.length >= 2 && e.form.indexOf(word) === 0)) return;
          var s = stems[e.stem];
          if (!s) stems[e.stem] = s = { stem: e.stem, df: e.df, entry: e, exact: false, forms: [] };
          s.exact = s.exact || exact;
          s.forms.push(e.form);
        });
      });
      var list = Object.keys(stems).map(function (k) { return stems[k]; });
      list.sort(function (a, b) { return (b.exact - a.exact) || (b.df - a.df); });
      return list.slice(0, 12);
    });
  }

  function stemPostings(s) {
    if (s.entry.inline) return Promise.resolve(postings(s.df, s.entry.inline));
    return file("p/" + s.entry.file + ".bin").then(function (bytes) { return postings(s.df, bytes); });
  }

  function idf(df) {
    return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
  }

  // Scores every briefing having every word: per word, its best stem's weight (the title
  // counts most); a form only begun counts half.
  function match(query) {
    var typed = words(query);
    var open = !/[\s\p{P}]$/u.test(query);
    return Promise.all(typed.map(function (w, i) {
      return stemsOf(w, open && i === typed.length - 1).then(function (stems) {
        return Promise.all(stems.map(stemPostings)).then(function (lists) {
          return { stems: stems, lists: lists };
        });
      });
    })).then(function (perWord) {
      var n = meta.docs;
      var total = new Float32Array(n);
      var hits = new Uint8Array(n);
      var marks = { forms: {}, stems: [] };
      perWord.forEach(function (w) {
        var best = new Float32Array(n);
        var touched = [];
        w.stems.forEach(function (s, k) {
          var p = w.lists[k];
          var weight = idf(s.df) * (s.exact ? 1 : 0.5);
          s.forms.forEach(function (f) { marks.forms[f] = true; });
          marks.stems.push(s.stem);
          for (var i = 0; i < p.ids.length; i++) {
            var b = p.weights[i];
            var score = weight * ((b & 0x7f) / 50 + (b & 0x80 ? TITLE_BOOST : 0));
            var id = p.ids[i];
            if (best[id] === 0) touched.push(id);
            if (score > best[id]) best[id] = score;
          }
        });
        touched.forEach(function (id) {
          total[id] += best[id];
          hits[id]++;
        });
      });
      var ids = [];
      if (perWord.length) {
        for (var id = 0; id < n; id++) if (hits[id] === perWord.length) ids.push(id);
      }
      return { ids: ids, scores: total, marks: marks };
    });
  }

  // ---- Filters.

  function chosenLists() {
    var keys = Object.keys(chosen).filter(function (k) { return chosen[k].length; });
    return Promise.all(keys.map(function (key) {
      var filter = meta.filters.filter(function (f) { return f.key === key; })[0];
      var wanted = filter ? filter.values.filter(function (v) { return chosen[key].indexOf(v[0]) !== -1; }) : [];
      return Promise.all(wanted.map(function (v) { return file("v/" + v[2] + ".bin").then(idList); }));
    }));
  }

  // Keeps the ids in every chosen filter (any of its chosen values).
  function narrow(ids, lists) {
    return lists.reduce(function (kept, perValue) {
      var allowed = new Uint8Array(meta.docs);
      perValue.forEach(function (l) { l.forEach(function (id) { allowed[id] = 1; }); });
      return kept.filter(function (id) { return allowed[id]; });
    }, ids);
  }

  // How many of `ids` have each filter value, from the files of documents' values the
  // newest of them are in. Returns the counts and whether they cover every id.
  function counts(ids) {
    var per = meta.per_facets;
    var wanted = [];
    for (var i = ids.length - 1; i >= 0; i--) {
      var c = Math.floor(ids[i] / per);
      if (wanted[wanted.length - 1] !== c) wanted.push(c);
    }
    var whole = wanted.length <= FACET_FILES;
    wanted = wanted.slice(0, FACET_FILES);
    return Promise.all(wanted.map(function (c) { return json("f/" + c + ".bin"); })).then(function (loaded) {
      var docs = {};
      wanted.forEach(function (c, k) { docs[c] = loaded[k]; });
      var out = meta.filters.map(function () { return {}; });
      ids.forEach(function (id) {
        var values = docs[Math.floor(id / per)];
        if (!values) return;
        values[id % per].forEach(function (vs, f) {
          vs.forEach(function (v) { out[f][v] = (out[f][v] || 0) + 1; });
        });
      });
      var named = {};
      meta.filters.forEach(function (f, k) {
        named[f.key] = {};
        Object.keys(out[k]).forEach(function (v) { named[f.key][f.values[v][0]] = out[k][v]; });
      });
      return { counts: named, whole: whole };
    });
  }

  function everyCount() {
    var named = {};
    meta.filters.forEach(function (f) {
      named[f.key] = {};
      f.values.forEach(function (v) { named[f.key][v[0]] = v[1]; });
    });
    return { counts: named, whole: true };
  }

  // One group of checkboxes per filter, its values most frequent first, with counts.
  function showFilters(c) {
    filtersBox.textContent = "";
    labels.forEach(function (f) {
      var values = c.counts[f.key] || {};
      var mine = chosen[f.key] || [];
      var names = Object.keys(values).filter(function (v) { return values[v] > 0; });
      mine.forEach(function (v) { if (names.indexOf(v) === -1) names.push(v); });
      if (!names.length) return;
      names.sort(function (a, b) { return (values[b] || 0) - (values[a] || 0) || a.localeCompare(b); });
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = f.label;
      set.appendChild(legend);
      names.slice(0, Math.max(MOST_VALUES, mine.length)).forEach(function (v) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = mine.indexOf(v) !== -1;
        box.addEventListener("change", function () {
          var now = (chosen[f.key] || []).filter(function (x) { return x !== v; });
          if (box.checked) now.push(v);
          chosen[f.key] = now;
          run();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + v + " (" + (values[v] || 0) + ")"));
        set.appendChild(label);
      });
      filtersBox.appendChild(set);
    });
    if (!c.whole) {
      var note = document.createElement("p");
      note.className = "meta";
      note.textContent = data.partialCounts;
      filtersBox.appendChild(note);
    }
  }

  // ---- Results.

  function resultData(id) {
    var per = meta.per_results;
    return json("r/" + Math.floor(id / per) + ".bin").then(function (docs) { return docs[id % per]; });
  }

  // A stretch of the prose around the first word the query matched, that word and the
  // others it matched marked; the prose's start when only the title matched.
  function excerpt(text, marks) {
    var out = document.createElement("p");
    var parts = text.split(/(\s+)/);
    var matched = function (w) {
      var form = words(w)[0];
      if (!form) return false;
      if (marks.forms[form]) return true;
      return marks.stems.some(function (s) { return s.length >= 3 && form.indexOf(s) === 0; });
    };
    var wordsAt = [];
    parts.forEach(function (p, i) { if (!/^\s*$/.test(p)) wordsAt.push(i); });
    var first = 0;
    for (var k = 0; k < wordsAt.length; k++) {
      if (matched(parts[wordsAt[k]])) { first = k; break; }
    }
    var from = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
    var to = Math.min(wordsAt.length, from + EXCERPT_WORDS);
    if (from > 0) out.appendChild(document.createTextNode("… "));
    for (var j = from; j < to; j++) {
      var w = parts[wordsAt[j]];
      if (matched(w)) {
        var m = document.createElement("mark");
        m.textContent = w;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(w));
      }
      if (j < to - 1) out.appendChild(document.createTextNode(" "));
    }
    if (to < wordsAt.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  // The site's addresses are from its root; this page may be deeper.
  function local(url) {
    return root + url;
  }

  function result(r, marks) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = local(r.u);
    a.textContent = r.t || r.u;
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    if (r.d) {
      var date = document.createElement("p");
      date.className = "meta";
      date.textContent = r.d;
      li.appendChild(date);
    }
    li.appendChild(excerpt(r.x || "", marks));
    return li;
  }

  // The first `k` of `ids` (ascending) in the order shown: newest first, or by score with
  // the newer first among equals. One pass: a word in every briefing sorts nothing.
  function top(ids, scores, k) {
    if (sortBox && sortBox.value === "date") return ids.slice(-k).reverse();
    var best = [];
    for (var i = ids.length - 1; i >= 0; i--) {
      var id = ids[i], s = scores[id];
      if (best.length === k && s <= scores[best[k - 1]]) continue;
      var j = best.length;
      while (j > 0 && scores[best[j - 1]] < s) j--;
      best.splice(j, 0, id);
      if (best.length > k) best.pop();
    }
    return best;
  }

  function search() {
    var q = input.value.trim();
    var mine = ++generation;
    var filtered = Object.keys(chosen).some(function (k) { return chosen[k].length; });
    if (!q && !filtered) {
      list.textContent = "";
      list.hidden = true;
      status.textContent = "";
      if (more) more.hidden = true;
      showFilters(everyCount());
      return Promise.resolve();
    }
    var all = null;
    if (!q) {
      all = [];
      for (var i = 0; i < meta.docs; i++) all.push(i);
    }
    var matching = q ? match(q) : Promise.resolve({ ids: all, scores: new Float32Array(meta.docs), marks: { forms: {}, stems: [] } });
    return Promise.all([matching, chosenLists()]).then(function (both) {
      if (mine !== generation) return;
      var m = both[0];
      var ids = narrow(m.ids, both[1]);
      status.textContent = found(ids.length);
      // The results show as soon as their data is in; the filters' counts follow, asked for
      // only then, so their files never hold up the results'.
      var shownResults = Promise.all(top(ids, m.scores, shown).map(resultData)).then(function (rs) {
        if (mine !== generation) return;
        list.textContent = "";
        rs.forEach(function (r) { if (r) list.appendChild(result(r, m.marks)); });
        list.hidden = !list.firstChild;
        if (more) more.hidden = ids.length <= shown;
      });
      return shownResults.then(function () {
        if (mine !== generation) return;
        return counts(ids).then(function (c) {
          if (mine === generation) showFilters(c);
        });
      });
    });
  }

  // The query lives in the address, so a search can be linked and reloaded.
  function run() {
    var url = new URL(window.location.href);
    var q = input.value.trim();
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    shown = PAGE;
    search().catch(fail);
  }

  function fail() {
    status.textContent = data.failed;
  }

  if (window.location.protocol === "file:") {
    status.textContent = data.needsServer;
    return;
  }
  // The meta file is asked for anew each time: it names the version of every other file.
  fetch(base + "meta.json", { cache: "no-cache" }).then(function (r) {
    if (!r.ok) throw new Error("meta.json: " + r.status);
    return r.json();
  }).then(function (m) {
    meta = m;
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    var pending = null;
    input.addEventListener("input", function () {
      // One query per pause in typing, not per key.
      clearTimeout(pending);
      pending = setTimeout(run, 80);
    });
    input.form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    if (sortBox) sortBox.addEventListener("change", run);
    if (more) {
      more.addEventListener("click", function () {
        shown += PAGE;
        search().catch(fail);
      });
    }
    return search();
  }).catch(fail);
})();
