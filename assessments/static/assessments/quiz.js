// Autosave of quiz answers: each change is sent at once (text after a short pause) and the question
// says whether it is saved. Without JavaScript the page's Save button sends the same answers.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-attempt");
  if (!form || !window.fetch) { return; }
  var url = form.dataset.autosaveUrl;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function responseOf(fieldset) {
    var type = fieldset.dataset.qtype;
    var name = "q" + fieldset.dataset.slot;
    var checked = Array.prototype.map.call(fieldset.querySelectorAll("input[name='" + name + "']:checked"), function (input) { return input.value; });
    var text = fieldset.querySelector("[name='" + name + "']");
    if (type === "single_choice") { return { choice: checked[0] || null }; }
    if (type === "multiple_response") { return { choices: checked }; }
    if (type === "true_false") { return { value: checked.length ? checked[0] === "true" : null }; }
    if (type === "short_answer" || type === "essay") { return { text: text.value }; }
    if (type === "numeric") { return { value: text.value }; }
    if (type === "matching") {
      var matches = {};
      fieldset.querySelectorAll("select[data-pair]").forEach(function (select) { matches[select.dataset.pair] = select.value || null; });
      return { matches: matches };
    }
    if (type === "ordering") {
      var items = Array.prototype.slice.call(fieldset.querySelectorAll("select[data-item]"));
      items.sort(function (a, b) { return Number(a.value) - Number(b.value); });
      var positions = items.map(function (select) { return select.value; });
      if (new Set(positions).size !== positions.length) { return undefined; }
      return { order: items.map(function (select) { return select.dataset.item; }) };
    }
    return undefined;
  }

  function show(fieldset, state, message) {
    var status = fieldset.querySelector(".quiz-save-status");
    status.dataset.state = state;
    status.textContent = message;
  }

  function save(fieldset) {
    var response = responseOf(fieldset);
    if (response === undefined) { show(fieldset, "error", form.dataset.notSaved); return; }
    show(fieldset, "saving", form.dataset.saving);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ slot: Number(fieldset.dataset.slot), response: response })
    }).then(function (reply) {
      return reply.json().then(function (data) {
        if (reply.ok && data.saved) { show(fieldset, "saved", form.dataset.saved); }
        else { show(fieldset, "error", data.error || form.dataset.notSaved); }
      });
    }).catch(function () { show(fieldset, "error", form.dataset.notSaved); });
  }

  // Back online: the answers that could not be sent are sent again, without waiting for a change.
  window.addEventListener("online", function () {
    form.querySelectorAll("fieldset.quiz-question").forEach(function (fieldset) {
      var status = fieldset.querySelector(".quiz-save-status");
      if (status && status.dataset.state === "error") { save(fieldset); }
    });
  });

  form.querySelectorAll("fieldset.quiz-question").forEach(function (fieldset) {
    var timer = null;
    fieldset.addEventListener("change", function () { clearTimeout(timer); save(fieldset); });
    fieldset.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA" || event.target.type === "text") {
        clearTimeout(timer);
        timer = setTimeout(function () { save(fieldset); }, 800);
      }
    });
  });
})();
