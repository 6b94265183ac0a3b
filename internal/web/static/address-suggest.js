// Address suggestions: the ARIA combobox pattern over the address field of
// a form with data-suggest-url (the find-school page, the applications'
// address step). A form with data-suggest-submit is sent when a building is
// chosen. Without this script the forms work on submit.
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) {
    return;
  }
  var input = form.querySelector("#address");
  var list = form.querySelector("#address-suggestions");
  var status = form.querySelector("#address-status");
  var url = form.getAttribute("data-suggest-url");
  var submits = form.hasAttribute("data-suggest-submit");
  var items = [];
  var active = -1;
  var timer = 0;
  var asked = 0;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // choose puts suggestion i in the field. A building is an answer: it
  // returns true, and the form is sent (by the caller for a click, by the
  // browser's own Enter for the keyboard, so that one key press never sends
  // it twice). A street asks for the house number next.
  function choose(i) {
    var s = items[i];
    if (!s) {
      return false;
    }
    close();
    if (s.building_id) {
      input.value = s.text;
      return true;
    }
    input.value = s.text + ", ";
    input.focus();
    ask();
    return false;
  }

  function show(suggestions) {
    close();
    items = suggestions;
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "address-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = s.text;
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
        if (choose(i) && submits) {
          form.submit();
        }
      });
      list.appendChild(li);
    });
    if (suggestions.length > 0) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    status.textContent = suggestions.length > 0 ? status.getAttribute("data-text") : "";
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2) {
      list.removeAttribute("aria-busy");
      close();
      return;
    }
    var n = ++asked;
    fetch(url + "&limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : [];
      })
      .then(function (suggestions) {
        if (n === asked) {
          list.removeAttribute("aria-busy");
          if (document.activeElement === input) {
            show(suggestions);
          }
        }
      })
      .catch(function () {
        list.removeAttribute("aria-busy");
        close();
      });
  }

  // The list is busy from a keystroke until the suggestions for what is
  // typed have come.
  input.addEventListener("input", function () {
    clearTimeout(timer);
    list.setAttribute("aria-busy", "true");
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) {
      return;
    }
    if (e.key === "ArrowDown") {
      e.preventDefault();
      highlight((active + 1) % items.length);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0) {
      if (!choose(active) || !submits) {
        e.preventDefault();
      }
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
})();
