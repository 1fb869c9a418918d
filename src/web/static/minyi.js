// minyi's one script. The pages work without it; it only
// - signs a Telegram Mini App in: Telegram passes the launch data in the address's fragment
//   (#tgWebAppData=…), which never reaches the server, so the script posts it;
// - applies the board's filters as soon as one is picked.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var launch = document.getElementById("mini-app");
  if (launch) {
    var data = new URLSearchParams(window.location.hash.slice(1)).get("tgWebAppData");
    if (data) {
      launch.elements["init_data"].value = data;
      launch.submit();
    } else {
      var note = launch.querySelector(".message");
      if (note) { note.textContent = launch.getAttribute("data-outside"); }
    }
  }
  var filters = document.querySelector("form.filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.submit(); });
    });
  }
});
