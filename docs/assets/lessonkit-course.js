/*
 * Course progress and mastery checks, without dependencies.
 *
 * The quiz (questions, options, answer key, an explanation per option) is rendered into the
 * page at build time; this script only scores the reader's answers, shows the explanations of
 * the option they chose and of the right one, and records completed lessons.
 * Progress lives in localStorage under a versioned key. If storage is unavailable, or holds
 * something unreadable, progress is kept for this visit only, the page says so, and
 * nothing throws. Never overwrites unreadable data unless the reader resets progress.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "lessonkit:progress:v1";
  var NOTES = {
    unavailable:
      "This browser is not letting the site store data, so your progress counts for this visit only and will not be saved.",
    corrupt:
      "The progress saved in this browser could not be read, so progress from this visit will not be saved. Reset progress to start again.",
  };

  // One record per page load (or per instant-navigation page: re-read on each init).
  var progress = { completed: new Set(), problem: null };

  function storage() {
    return window.localStorage; // may itself throw when storage is blocked
  }

  function isValid(data) {
    return (
      data !== null &&
      typeof data === "object" &&
      Array.isArray(data.completed) &&
      data.completed.every(function (id) {
        return typeof id === "string";
      })
    );
  }

  function loadProgress() {
    var completed = progress.completed;
    var raw;
    try {
      raw = storage().getItem(STORAGE_KEY);
    } catch (error) {
      progress.problem = "unavailable"; // keep what this visit has recorded so far
      return;
    }
    progress.problem = null;
    progress.completed = new Set();
    if (raw === null) return;
    var data;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      data = null;
    }
    if (!isValid(data)) {
      progress.problem = "corrupt";
      progress.completed = completed;
      return;
    }
    data.completed.forEach(function (id) {
      progress.completed.add(id);
    });
  }

  function saveProgress() {
    if (progress.problem) return;
    try {
      storage().setItem(STORAGE_KEY, JSON.stringify({ completed: Array.from(progress.completed).sort() }));
    } catch (error) {
      progress.problem = "unavailable";
    }
  }

  function resetProgress() {
    progress.completed = new Set();
    try {
      storage().removeItem(STORAGE_KEY);
      progress.problem = null;
    } catch (error) {
      progress.problem = "unavailable";
    }
  }

  function completeLesson(id) {
    progress.completed.add(id);
    saveProgress();
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function showProgress(root) {
    root.querySelectorAll("[data-lk-progress]").forEach(function (widget) {
      var ids = widget.getAttribute("data-lk-lessons").split(" ");
      var done = ids.filter(function (id) {
        return progress.completed.has(id);
      }).length;
      var percent = Math.round((100 * done) / ids.length);
      widget.querySelector("[data-lk-progress-count]").textContent =
        done + " of " + ids.length + " lessons completed";
      widget.querySelector("[data-lk-progress-percent]").textContent = "(" + percent + "%)";
      widget.querySelector("[data-lk-progress-bar]").style.width = (100 * done) / ids.length + "%";
      widget.hidden = false;
    });
    root.querySelectorAll("[data-lk-storage-note]").forEach(function (note) {
      note.textContent = progress.problem ? NOTES[progress.problem] : "";
      note.hidden = !progress.problem;
    });
    root.querySelectorAll("[data-lk-outline-lesson]").forEach(function (item) {
      var done = progress.completed.has(item.getAttribute("data-lk-outline-lesson"));
      item.classList.toggle("lk-outline__lesson--done", done);
      item.querySelector("[data-lk-done-mark]").hidden = !done;
    });
    root.querySelectorAll("[data-lk-topic]").forEach(function (topic) {
      var items = topic.querySelectorAll("[data-lk-outline-lesson]");
      var done = topic.querySelectorAll(".lk-outline__lesson--done").length;
      var counter = topic.querySelector("[data-lk-topic-done]");
      counter.textContent = done + " of " + items.length + " completed";
      counter.hidden = false;
    });
    var page = root.querySelector("[data-lk-lesson-page]");
    var badge = root.querySelector("[data-lk-completed-badge]");
    if (page && badge) badge.hidden = !progress.completed.has(page.getAttribute("data-lk-lesson-page"));
  }

  function setUpResetButtons(root) {
    root.querySelectorAll("[data-lk-progress-reset]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (!window.confirm("Reset your progress? Every lesson will be marked as not completed.")) return;
        resetProgress();
        showProgress(document);
      });
    });
  }

  function setUpQuiz(form) {
    var lessonId = form.getAttribute("data-lk-lesson");
    var passAbove = parseFloat(form.getAttribute("data-lk-pass-above"));
    var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-lk-answer]"));
    var check = form.querySelector("[data-lk-check]");
    var retry = form.querySelector("[data-lk-retry]");
    var status = form.querySelector("[data-lk-status]");

    function chosen(question) {
      return question.querySelector("input[type=radio]:checked");
    }

    function unanswered() {
      return questions.filter(function (question) {
        return !chosen(question);
      });
    }

    function updateCheckButton() {
      var left = unanswered().length;
      // Stays enabled: pressing it early says what is missing and moves to the first gap.
      check.textContent = left ? "Check answers (" + plural(left, "question") + " left)" : "Check answers";
    }

    function addTag(option, text) {
      var tag = document.createElement("span");
      tag.className = "lk-quiz__tag";
      tag.textContent = text;
      option.querySelector("label > span").appendChild(tag);
    }

    function score() {
      var correct = 0;
      questions.forEach(function (question) {
        var answer = question.getAttribute("data-lk-answer");
        var choice = chosen(question).value;
        var right = choice === answer;
        if (right) correct += 1;
        question.classList.add(right ? "lk-quiz__question--right" : "lk-quiz__question--wrong");
        question.querySelectorAll("input[type=radio]").forEach(function (input) {
          input.disabled = true;
          var option = input.closest(".lk-quiz__option");
          if (input.value === answer) {
            option.classList.add("lk-quiz__option--answer");
            addTag(option, "right answer");
          } else if (input.checked) {
            addTag(option, "your answer");
          }
        });
        question.querySelector("[data-lk-verdict]").textContent = right ? "Correct." : "Not quite.";
        question.querySelectorAll("[data-lk-why]").forEach(function (why) {
          var key = why.getAttribute("data-lk-why");
          why.hidden = key !== answer && key !== choice;
        });
        question.querySelector("[data-lk-feedback]").hidden = false;
      });
      var total = questions.length;
      var percent = Math.round((100 * correct) / total);
      var passed = correct / total > passAbove;
      if (passed) completeLesson(lessonId);
      showProgress(document);
      status.textContent =
        "You scored " + correct + "/" + total + " (" + percent + "%). " +
        (passed
          ? "Lesson completed: it now counts toward your progress."
          : "Score above " + Math.round(passAbove * 100) + "% to complete the lesson. Read the explanations, then try again.");
      status.classList.toggle("lk-quiz__status--passed", passed);
      check.hidden = true;
      retry.hidden = false;
      status.focus();
    }

    form.addEventListener("change", updateCheckButton);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var left = unanswered();
      if (left.length) {
        status.textContent = "Answer the remaining " + plural(left.length, "question") + " first.";
        left[0].querySelector("input[type=radio]").focus();
        return;
      }
      score();
    });
    retry.addEventListener("click", function () {
      questions.forEach(function (question) {
        question.classList.remove("lk-quiz__question--right", "lk-quiz__question--wrong");
        question.querySelector("[data-lk-feedback]").hidden = true;
        question.querySelectorAll("[data-lk-why]").forEach(function (why) {
          why.hidden = true;
        });
        question.querySelectorAll(".lk-quiz__option--answer").forEach(function (option) {
          option.classList.remove("lk-quiz__option--answer");
        });
        question.querySelectorAll(".lk-quiz__tag").forEach(function (tag) {
          tag.remove();
        });
        question.querySelectorAll("input[type=radio]").forEach(function (input) {
          input.disabled = false;
          input.checked = false;
        });
      });
      status.textContent = "";
      status.classList.remove("lk-quiz__status--passed");
      retry.hidden = true;
      check.hidden = false;
      updateCheckButton();
      questions[0].querySelector("input[type=radio]").focus();
    });
    updateCheckButton();
  }

  function init() {
    loadProgress();
    document.querySelectorAll("[data-lk-quiz]:not([data-lk-ready])").forEach(function (form) {
      form.setAttribute("data-lk-ready", "");
      setUpQuiz(form);
    });
    document.querySelectorAll("[data-lk-progress]:not([data-lk-ready])").forEach(function (widget) {
      widget.setAttribute("data-lk-ready", "");
      setUpResetButtons(widget);
    });
    showProgress(document);
  }

  // A quiz fetched when its collapsed block is opened (lessonkit-page.js) is set up on arrival.
  document.addEventListener("lessonkit:filled", init);

  // With the theme's instant navigation, document$ emits for every page it swaps in.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
