// 网上填写申请表: checks the statutory fields, then prints the filled-in 政府信息公开申请表 or saves it
// as a text file. Nothing leaves the reader's browser: no request is made with what is typed.
(function () {
  var form = document.getElementById("gk-apply");
  var sheet = document.getElementById("gk-application");
  var error = document.getElementById("gk-apply-error");
  if (!form || !sheet) return;
  var ROWS = [
    ["申请人类型", "kind"], ["姓名或者名称", "name"], ["身份证明名称", "id_type"], ["身份证明号码", "id_number"],
    ["联系人", "contact"], ["联系电话", "phone"], ["电子邮箱", "email"], ["通信地址", "address"], ["邮政编码", "postcode"],
    ["政府信息的名称", "title"], ["文号", "doc_no"], ["特征性描述", "description"], ["提供形式", "form"], ["获取方式", "way"]
  ];
  function value(name) {
    var field = form.elements[name];
    return field ? String(field.value || "").trim() : "";
  }
  function labelOf(field) {
    var label = form.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace(/\s*\*.*$/, "").replace(/（.*$/, "") : field.name;
  }
  function check() {
    var missing = Array.prototype.filter.call(form.querySelectorAll("[required]"), function (f) { return !String(f.value).trim(); });
    Array.prototype.forEach.call(form.querySelectorAll("[required]"), function (f) {
      f.setAttribute("aria-invalid", missing.indexOf(f) >= 0 ? "true" : "false");
    });
    if (!missing.length) { error.textContent = ""; return true; }
    error.textContent = "请填写：" + missing.map(labelOf).join("、");
    missing[0].focus();
    return false;
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }
  function fill() {
    while (sheet.firstChild) sheet.removeChild(sheet.firstChild);
    var h = document.createElement("h2");
    h.textContent = "政府信息公开申请表";
    var to = document.createElement("p");
    to.textContent = "受理机关：" + (form.getAttribute("data-agency") || "");
    var table = document.createElement("table");
    ROWS.concat([["申请日期", null], ["申请人签名（盖章）", null]]).forEach(function (row) {
      var tr = table.insertRow();
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = row[0];
      tr.appendChild(th);
      tr.insertCell().textContent = row[1] ? value(row[1]) : (row[0] === "申请日期" ? today() : "");
    });
    sheet.appendChild(h);
    sheet.appendChild(to);
    sheet.appendChild(table);
  }
  function text() {
    var lines = ["政府信息公开申请表", "受理机关：" + (form.getAttribute("data-agency") || ""), ""];
    ROWS.forEach(function (row) { lines.push(row[0] + "：" + value(row[1])); });
    lines.push("申请日期：" + today(), "申请人签名（盖章）：", "");
    return lines.join("\r\n");
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gk-apply]");
    if (!button || !check()) return;
    if (button.getAttribute("data-gk-apply") === "print") {
      fill();
      document.body.classList.add("gk-printing-application");
      window.print();
      window.setTimeout(function () { document.body.classList.remove("gk-printing-application"); }, 0);
    } else {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob(["\ufeff" + text()], { type: "text/plain;charset=utf-8" }));
      link.download = "政府信息公开申请表.txt";
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }
  });
})();
