(function () {
  "use strict";
  function key(cell, type) {
    var raw = cell.getAttribute("data-value");
    if (type === "number") {
      if (raw === null || raw === "") return null;
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return (raw || cell.textContent || "").toLowerCase();
  }
  document.querySelectorAll("table.board").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var type = th.getAttribute("data-type");
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : type === "number" && column > 0;
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
          return { row: row, index: index, key: key(row.cells[column], type) };
        });
        rows.sort(function (a, b) {
          if (a.key === null && b.key === null) return a.index - b.index;
          if (a.key === null) return 1;
          if (b.key === null) return -1;
          var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
          return (descending ? -order : order) || a.index - b.index;
        });
        rows.forEach(function (item) { body.appendChild(item.row); });
      });
    });
  });
})();
