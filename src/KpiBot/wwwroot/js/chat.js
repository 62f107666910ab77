// KpiBot local chat page: sends what you type (or click) to POST /api/dev/chat and shows the replies.
// The reply HTML comes from KpiBot's HtmlRenderer, which escapes every text, so it is inserted as is.
(() => {
  "use strict";
  const log = document.getElementById("log");
  const composer = document.getElementById("composer");
  const input = document.getElementById("text");
  const workspace = document.getElementById("workspace");
  const userName = document.getElementById("userName");
  const showJson = document.getElementById("showJson");

  // Remember who you are between visits.
  const saved = JSON.parse(localStorage.getItem("kpibot.who") || "{}");
  if (saved.workspace) workspace.value = saved.workspace;
  if (saved.userName) userName.value = saved.userName;
  showJson.checked = saved.showJson === true;
  document.body.classList.toggle("show-json", showJson.checked);
  const remember = () => localStorage.setItem("kpibot.who", JSON.stringify({
    workspace: workspace.value, userName: userName.value, showJson: showJson.checked,
  }));
  [workspace, userName].forEach((el) => el.addEventListener("change", remember));
  showJson.addEventListener("change", () => { document.body.classList.toggle("show-json", showJson.checked); remember(); });

  // A stable user id per name, so "Anna Berg" is the same person after a reload.
  const userIdOf = (name) => "local-" + name.trim().toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

  const add = (className, build) => {
    const li = document.createElement("li");
    li.className = "msg " + className;
    build(li);
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
    return li;
  };

  const jsonBlock = (title, value) => {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = title;
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(value, null, 2);
    details.append(summary, pre);
    return details;
  };

  async function send(body, echo) {
    if (!workspace.reportValidity() || !userName.reportValidity()) return;
    add("user", (li) => { li.textContent = echo; });
    const payload = { workspace: workspace.value.trim(), userId: userIdOf(userName.value), userName: userName.value.trim(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, ...body };
    let response;
    try {
      response = await fetch("api/dev/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    } catch (e) {
      add("error", (li) => { li.textContent = "Could not reach KpiBot: " + e.message; });
      return;
    }
    const data = await response.json().catch(() => ({ error: "The reply was not JSON (HTTP " + response.status + ")." }));
    if (!response.ok) {
      add("error", (li) => { li.textContent = data.error || ("HTTP " + response.status); });
      return;
    }
    for (const reply of data.replies) {
      add("bot", (li) => {
        li.innerHTML = reply.html;
        const json = document.createElement("div");
        json.className = "json";
        json.append(jsonBlock("Adaptive Card (Teams)", reply.adaptiveCard), jsonBlock("Block Kit (Slack)", reply.slackBlocks));
        li.appendChild(json);
      });
    }
  }

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text }, text);
  });

  // Buttons in replies send their command; forms in replies submit their values.
  log.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (!button) return;
    event.preventDefault();
    send({ text: button.dataset.command }, button.dataset.command);
  });
  log.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-form-id]");
    if (!form) return;
    event.preventDefault();
    const values = {};
    for (const [key, value] of new FormData(form).entries()) {
      if (String(value).trim() !== "") values[key] = String(value).trim();
    }
    const echo = Object.entries(values).map(([k, v]) => k + " " + v).join(", ") || "(empty form)";
    send({ form: { formId: form.dataset.formId, values } }, echo);
  });
})();
