// Projector view: arrow and page keys follow the next/previous links (which work without JS).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT|AUDIO|VIDEO)$/.test(target.tagName)) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var rel = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") rel = "next";
    if (event.key === "ArrowLeft" || event.key === "PageUp") rel = "prev";
    var link = rel && document.querySelector(".slide-nav a[rel='" + rel + "']");
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
  // A clip starts and stops at the teacher's range.
  var slide = document.querySelector("main[data-clip-start]");
  if (slide) {
    var media = slide.querySelector("[data-player]");
    if (media) {
      var start = parseFloat(slide.dataset.clipStart);
      var end = parseFloat(slide.dataset.clipEnd);
      media.addEventListener("loadedmetadata", function () { if (media.currentTime < start) media.currentTime = start; });
      media.addEventListener("play", function () { if (media.currentTime < start || media.currentTime >= end) media.currentTime = start; });
      media.addEventListener("timeupdate", function () { if (media.currentTime >= end) media.pause(); });
    }
  }
})();
