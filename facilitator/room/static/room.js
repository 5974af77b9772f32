// Live refresh: when something changes in the room, reload the page, unless the
// person is typing. The page works the same without this script.
(function () {
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var seen = live.getAttribute("data-version");
  var url = "/" + live.getAttribute("data-code") + "/version";
  function typing() {
    var fields = document.querySelectorAll("input[type=text], textarea");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value || document.activeElement === fields[i]) { return true; }
    }
    return false;
  }
  setInterval(function () {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (d && String(d.version) !== seen && !typing()) { window.location.reload(); }
      })
      .catch(function () {});
  }, 2000);
})();
