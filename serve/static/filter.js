// Instant filtering of the contacts table as one types; the search form
// works without it (a GET of ?q=). Matching folds case and accents.
(function () {
  var q = document.getElementById("contact-q"), table = document.getElementById("contact-table");
  if (!q || !table) return;
  var fold = function (s) { return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ß/g, "ss"); };
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var text = rows.map(function (r) { return fold(r.textContent) + " " + r.cells[1].textContent.replace(/[^0-9]/g, ""); });
  var count = document.getElementById("contact-count"), total = count ? count.textContent : "";
  q.addEventListener("input", function () {
    var words = fold(q.value).split(/\s+/).filter(Boolean), shown = 0;
    rows.forEach(function (r, i) {
      var ok = words.every(function (w) { return text[i].indexOf(w) >= 0 || (/^[0-9+\-.\/() ]+$/.test(w) && text[i].indexOf(w.replace(/[^0-9]/g, "")) >= 0); });
      r.hidden = !ok;
      if (ok) shown++;
    });
    if (count) count.textContent = words.length ? shown + " of " + rows.length + " shown" : total;
  });
})();
