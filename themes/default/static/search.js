// The search page over the site's Pagefind index (pagefind/ at the site's root): the
// browser fetches only the parts of the index a query needs. No server, no third party.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = script.dataset;
  var root = data.root;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filtersBox = document.getElementById("search-filters");
  var sortBox = document.getElementById("search-sort");
  // Each filter's key and its name in the page's language, from the template.
  var names = document.getElementById("search-filter-names");
  var labels = Array.prototype.map.call(names ? names.content.querySelectorAll("span") : [], function (s) {
    return { key: s.dataset.key, label: s.textContent };
  });
  // "3 briefings found" in the page's language: its plural forms come from the theme.
  var forms = JSON.parse(data.found || "{}");
  var plural = new Intl.PluralRules(document.documentElement.lang || "en");
  var PAGE = 10;
  var MOST_VALUES = 12;
  var pagefind = null;
  var chosen = {};
  var shown = PAGE;
  var generation = 0;

  function found(n) {
    return (forms[plural.select(n)] || forms.other || "{n}").replace("{n}", n);
  }

  // Pagefind's excerpt is escaped text with <mark> around matched words: keep exactly that.
  function excerpt(html) {
    var out = document.createElement("p");
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  // Pagefind's addresses start from the site's root; this page may be deeper.
  function local(url) {
    return /^[a-z]+:/i.test(url) ? url : root + url.replace(/^\//, "");
  }

  function result(r) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = local(r.url);
    a.textContent = r.meta.title || r.url;
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    if (r.meta.date) {
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = r.meta.date;
      li.appendChild(meta);
    }
    li.appendChild(excerpt(r.excerpt || ""));
    return li;
  }

  function filterOptions() {
    var options = {};
    Object.keys(chosen).forEach(function (key) {
      if (chosen[key].length) options[key] = { any: chosen[key] };
    });
    return options;
  }

  // One group of checkboxes per filter, its values most frequent first, with counts.
  function showFilters(counts) {
    filtersBox.textContent = "";
    labels.forEach(function (f) {
      var values = counts[f.key] || {};
      var names = Object.keys(values).filter(function (v) {
        return values[v] > 0 || (chosen[f.key] || []).indexOf(v) !== -1;
      });
      if (!names.length) return;
      names.sort(function (a, b) { return values[b] - values[a] || a.localeCompare(b); });
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = f.label;
      set.appendChild(legend);
      names.slice(0, MOST_VALUES).forEach(function (v) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = (chosen[f.key] || []).indexOf(v) !== -1;
        box.addEventListener("change", function () {
          var now = (chosen[f.key] || []).filter(function (x) { return x !== v; });
          if (box.checked) now.push(v);
          chosen[f.key] = now;
          run();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + v + " (" + values[v] + ")"));
        set.appendChild(label);
      });
      filtersBox.appendChild(set);
    });
  }

  function search() {
    var q = input.value.trim();
    var mine = ++generation;
    // Pagefind counts filter values only when asked without an empty filter set.
    var options = {};
    var filters = filterOptions();
    var filtered = Object.keys(filters).length > 0;
    if (filtered) options.filters = filters;
    if (sortBox && sortBox.value === "date") options.sort = { date: "desc" };
    if (!q && !filtered) {
      list.textContent = "";
      status.textContent = "";
      return pagefind.filters().then(function (all) {
        if (mine === generation) showFilters(all);
      });
    }
    return pagefind.search(q || null, options).then(function (found_) {
      if (mine !== generation || !found_) return;
      showFilters(found_.filters || {});
      status.textContent = found(found_.results.length);
      return Promise.all(found_.results.slice(0, shown).map(function (r) { return r.data(); }))
        .then(function (results) {
          if (mine !== generation) return;
          list.textContent = "";
          results.forEach(function (r) { list.appendChild(result(r)); });
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
  import(data.bundle + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: "/", excerptLength: 24 });
  }).then(function () {
    // Loads the filter index: searches count filter values only once it is there.
    return pagefind.filters();
  }).then(function () {
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
    return search();
  }).catch(fail);
})();
