// Progressive enhancement for players: transcript lines seek on click (they are buttons, so
// keyboard users get the same), the current line is highlighted, and audio gets a waveform.
(function () {
  "use strict";

  function wireTranscript(list) {
    var figure = document.getElementById(list.dataset["for"]);
    var media = figure && figure.querySelector("[data-player]");
    if (!media) return;
    var buttons = Array.prototype.slice.call(list.querySelectorAll("button.seek"));
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        media.currentTime = parseFloat(button.dataset.start);
        var playing = media.play();
        if (playing && playing.catch) playing.catch(function () {});
      });
    });
    media.addEventListener("timeupdate", function () {
      var t = media.currentTime;
      buttons.forEach(function (button) {
        var on = t >= parseFloat(button.dataset.start) && t < parseFloat(button.dataset.end);
        if (on) button.setAttribute("aria-current", "true");
        else button.removeAttribute("aria-current");
      });
    });
  }

  function drawWaveform(audio) {
    var canvas = audio.parentNode.querySelector("canvas.waveform");
    if (!canvas || !window.fetch) return;
    fetch(audio.dataset.waveform, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var peaks = data.peaks || data.data || [];
        var ctx = canvas.getContext("2d");
        var mid = canvas.height / 2;
        var n = peaks.length;
        if (!n) return;
        ctx.fillStyle = "#8a2b0c";
        for (var i = 0; i < n; i++) {
          var p = peaks[i];
          var lo = Array.isArray(p) ? p[0] : -Math.abs(p);
          var hi = Array.isArray(p) ? p[1] : Math.abs(p);
          var x = (i / n) * canvas.width;
          ctx.fillRect(x, mid - hi * mid, Math.max(canvas.width / n, 1), (hi - lo) * mid || 1);
        }
      })
      .catch(function () {});
  }

  // Links such as a search hit or a QR code carry "#t=75" or "#t=75,90" (W3C media
  // fragments): start the first player there when the visitor presses play.
  function honourTimeFragment() {
    var match = /^#t=(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?$/.exec(window.location.hash);
    var media = document.querySelector("[data-player]");
    if (!match || !media) return;
    var start = parseFloat(match[1]);
    var end = match[2] ? parseFloat(match[2]) : null;
    var started = false;
    media.addEventListener("play", function () {
      if (!started) { started = true; media.currentTime = start; }
    });
    if (end !== null) {
      media.addEventListener("timeupdate", function () {
        if (started && media.currentTime >= end) { media.pause(); end = null; }
      });
    }
    media.closest("figure").scrollIntoView();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ol.transcript-lines").forEach(wireTranscript);
    document.querySelectorAll("audio[data-waveform]").forEach(drawWaveform);
    honourTimeFragment();
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
