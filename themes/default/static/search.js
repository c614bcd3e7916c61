// Client-side search over search-index.json: no server, no third-party service.
(function () {
  "use strict";
  var script = document.currentScript;
  var indexUrl = script.getAttribute("data-index");
  var root = script.getAttribute("data-root");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var entries = null;
  // "3 briefings found" in the page's language: its plural forms come from the theme.
  var forms = JSON.parse(script.getAttribute("data-found") || "{}");
  var plural = new Intl.PluralRules(document.documentElement.lang || "en");
  function found(n) {
    return (forms[plural.select(n)] || forms.other || "{n}").replace("{n}", n);
  }

  function words(s) {
    return s.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function prepare(e) {
    e.hayTitle = words(e.title).join(" ");
    e.hay = words([e.title, e.summary, e.topics.join(" "), e.entities.join(" ")].join(" ")).join(" ");
    return e;
  }

  function score(e, terms) {
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      if (e.hay.indexOf(terms[i]) === -1) return 0;
      s += e.hayTitle.indexOf(terms[i]) === -1 ? 1 : 3;
    }
    return s;
  }

  function show(query) {
    var terms = words(query);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var hits = [];
    entries.forEach(function (e) {
      var s = score(e, terms);
      if (s) hits.push([s, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].date < b[1].date ? 1 : -1); });
    status.textContent = found(hits.length);
    hits.slice(0, 50).forEach(function (h) {
      var e = h[1];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.url;
      a.textContent = e.title;
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = e.date + (e.topics.length ? " · " + e.topics.join(", ") : "");
      li.appendChild(a);
      li.appendChild(meta);
      if (e.summary) {
        var p = document.createElement("p");
        p.textContent = e.summary;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  function run() {
    var q = input.value;
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    show(q);
  }

  fetch(indexUrl).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    entries = data.map(prepare);
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    show(q);
    input.addEventListener("input", run);
    input.form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  }).catch(function () {
    status.textContent = script.dataset.failed;
  });
})();
