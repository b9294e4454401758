// defcoop: suggestions in the header's search box, as an ARIA 1.2 combobox with a listbox
// popup. Without this script the box is a plain search form. Suggestions come from
// /api/v1/search/suggest with the session cookie, so they hold only what the reader may see.
(function () {
  "use strict";
  var input = document.getElementById("site-q");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var ko = input.getAttribute("data-lang") === "ko";
  var askedKo = new URLSearchParams(window.location.search).get("lang") === "ko";
  var KINDS = ko ? {
    policies: "보안 정책", nations: "국가", blocs: "국가 그룹", organizations: "기관",
    people: "인물", domains: "분야", standards: "표준", profiles: "프로파일",
    systems: "무기체계", conformances: "표준 적합성", gateways: "게이트웨이", transfers: "무기 이전"
  } : {
    policies: "Policy", nations: "Nation", blocs: "Bloc", organizations: "Organization",
    people: "Person", domains: "Domain", standards: "Standard", profiles: "Profile",
    systems: "System", conformances: "Conformance", gateways: "Gateway", transfers: "Transfer"
  };
  var LABEL = ko ? "검색 제안" : "Suggestions";
  var COUNT = ko ? function (n) { return "제안 " + n + "건. 위아래 화살표로 고르세요."; }
                 : function (n) { return n + (n === 1 ? " suggestion" : " suggestions") + ". Use the up and down arrows to choose."; };
  var NONE = ko ? "제안 없음" : "No suggestions";

  var list = document.createElement("ul");
  list.id = "site-q-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", LABEL);
  list.hidden = true;
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.appendChild(list);
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;
  var controller = null;

  function open() {
    if (items.length === 0) { return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }
  function setActive(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0 && options[i]) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function go(i) {
    var hit = items[i];
    if (!hit) { return; }
    window.location.href = hit.url + (askedKo ? "?lang=ko" : "");
  }
  function show(hits) {
    items = hits;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    hits.forEach(function (hit, i) {
      var li = document.createElement("li");
      li.id = "site-q-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.appendChild(document.createTextNode(hit.title));
      var kind = document.createElement("small");
      kind.textContent = (KINDS[hit.kind] || hit.kind) + (hit.marking ? " · " + hit.marking : "");
      li.appendChild(kind);
      // Keep the focus in the box while a suggestion is clicked.
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { go(i); });
      list.appendChild(li);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = hits.length ? COUNT(hits.length) : NONE;
    if (hits.length) { open(); } else { close(); }
  }
  function ask() {
    var q = input.value;
    if (q.trim() === "") { show([]); status.textContent = ""; return; }
    var mine = ++asked;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/v1/search/suggest?limit=8&q=" + encodeURIComponent(q.slice(0, 200)), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (r) {
      return r.ok ? r.json() : { suggestions: [] };
    }).then(function (answer) {
      if (mine === asked) { show(answer.suggestions || []); }
    }).catch(function () { /* aborted or offline: the form still submits */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 180);
  });
  input.addEventListener("keydown", function (e) {
    var n = items.length;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (list.hidden) { open(); if (!e.altKey) { setActive(0); } }
        else if (n) { setActive((active + 1) % n); }
        break;
      case "ArrowUp":
        e.preventDefault();
        if (list.hidden) { open(); setActive(n - 1); }
        else if (n) { setActive(active <= 0 ? n - 1 : active - 1); }
        break;
      case "Home":
      case "End":
        setActive(-1);
        break;
      case "Enter":
        if (!list.hidden && active >= 0) { e.preventDefault(); go(active); }
        break;
      case "Escape":
        if (!list.hidden) { e.preventDefault(); close(); }
        else if (input.value) { e.preventDefault(); input.value = ""; show([]); status.textContent = ""; }
        break;
      case "Tab":
        close();
        break;
    }
  });
  input.addEventListener("blur", function () { close(); });
  input.addEventListener("focus", function () { if (items.length && input.value.trim()) { open(); } });
})();
