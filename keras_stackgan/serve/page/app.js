// keras-stackgan serve: the demo page. Plain JavaScript, no libraries, no network but this server.
"use strict";

const $ = (id) => document.getElementById(id);
let presets = {};
let limits = {};

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function selectedPreset() {
  return presets[$("preset").value];
}

function mode() {
  const checked = document.querySelector('input[name="mode"]:checked');
  return checked ? checked.value : "generate";
}

function updateForm() {
  const preset = selectedPreset();
  if (!preset) return;
  const text = preset.kind === "text";
  const style = text && preset.style_transfer && mode() === "style";
  $("mode").hidden = !(text && preset.style_transfer);
  $("preset-description").textContent =
    `${preset.description} (${preset.image_size}x${preset.image_size} px` +
    (preset.shows_stage1 ? `, with the ${preset.stage1_size} px Stage-I sketch` : "") + ")";
  $("text-inputs").hidden = !text;
  $("style-inputs").hidden = !style;
  $("class-inputs").hidden = text || !preset.num_classes;
  $("code-inputs").hidden = text || !preset.code_dim;
  $("num-label").hidden = style;
  $("num-label").firstChild.textContent =
    text ? "Images per sentence " : preset.num_classes ? "Images per class " : "Images ";
  $("sample-condition").parentElement.hidden = !text;
  $("generate").textContent = style ? "Transfer style" : "Generate";

  const labels = $("labels");
  labels.replaceChildren();
  for (let i = 0; i < (text ? 0 : preset.num_classes); i++) {
    const name = preset.class_names ? preset.class_names[i] : String(i);
    labels.append(new Option(`${i}: ${name}`, String(i)));
  }
  const sliders = $("code-sliders");
  sliders.replaceChildren();
  for (let i = 0; i < (text ? 0 : preset.code_dim); i++) {
    const label = document.createElement("label");
    const input = Object.assign(document.createElement("input"), {
      type: "range", min: "-1", max: "1", step: "0.05", value: "0",
    });
    input.dataset.code = String(i);
    const out = document.createElement("output");
    out.textContent = "0.00";
    input.addEventListener("input", () => {
      out.textContent = Number(input.value).toFixed(2);
      $("random-codes").checked = false;
    });
    label.append(`code ${i + 1} `, input, out);
    sliders.append(label);
  }
}

function seedValue() {
  const raw = $("seed").value.trim();
  if (raw === "") return null; // the server draws one and tells which
  return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
}

function numberOrRaw(raw) {
  raw = raw.trim();
  if (raw === "") return null;
  return Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

function generateBody(preset) {
  const body = {
    preset: preset.name,
    seed: seedValue(),
    num_images: numberOrRaw($("num").value),
    truncation: numberOrRaw($("truncation").value),
  };
  if (preset.kind === "text") {
    body.texts = $("texts").value.split("\n").filter((line) => line.trim() !== "");
    body.sample_condition = $("sample-condition").checked;
  } else {
    const chosen = Array.from($("labels").selectedOptions, (o) => Number(o.value));
    if (chosen.length) body.labels = chosen;
    if (preset.code_dim && !$("random-codes").checked) {
      body.codes = Array.from(document.querySelectorAll("#code-sliders input"), (i) =>
        Number(i.value));
    }
  }
  return body;
}

async function request(preset) {
  if (mode() === "style" && preset.style_transfer) {
    const form = new FormData();
    form.append("preset", preset.name);
    form.append("texts", $("texts").value);
    for (const file of $("images").files) form.append("images", file, file.name);
    return fetch("/api/style", { method: "POST", body: form });
  }
  return fetch("/api/generate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(generateBody(preset)),
  });
}

function render(result, preset) {
  const section = $("result");
  section.replaceChildren();
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = `${result.preset}, ${result.image_size}x${result.image_size} px` +
    (result.seed !== undefined ? `, seed ${result.seed}` : "");
  const grid = document.createElement("div");
  grid.className = "grid";
  grid.id = "grid";
  grid.style.gridTemplateColumns = `repeat(${result.columns}, auto)`;
  const shown = Math.max(result.image_size, 128);
  const cellWidth = shown + (result.cells.some((c) => c.stage1) ? 132 : 0);
  for (const caption of result.captions || []) {
    const div = document.createElement("div");
    div.className = "caption";
    div.style.width = `${cellWidth}px`;
    div.textContent = caption;
    grid.append(div);
  }
  for (const cell of result.cells) {
    const figure = document.createElement("figure");
    if (cell.query) figure.className = "query";
    if (cell.stage1) {
      const sketch = Object.assign(new Image(), { src: cell.stage1, alt: "Stage-I sketch" });
      sketch.className = "sketch";
      sketch.width = sketch.height = 128;
      figure.append(sketch);
    }
    const image = Object.assign(new Image(), { src: cell.src, alt: "generated image" });
    image.className = "generated";
    image.width = image.height = shown;
    figure.append(image);
    grid.append(figure);
  }
  section.append(meta, grid);
  if (result.cells.some((c) => c.stage1)) {
    const note = document.createElement("p");
    note.className = "meta";
    note.textContent = "Each pair: the 64 px Stage-I sketch (left) and the Stage-II result.";
    section.append(note);
  }
  section.dataset.state = "done";
}

async function onSubmit(event) {
  event.preventDefault();
  const preset = selectedPreset();
  if (!preset) return;
  showError("");
  $("result").dataset.state = "busy";
  $("generate").disabled = true;
  $("status").textContent = "Generating…";
  const started = performance.now();
  try {
    const response = await request(preset);
    const payload = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (!response.ok) {
      showError(`${response.status}: ${payload.error || "request failed"}`);
      $("result").dataset.state = "error";
      $("status").textContent = "";
      return;
    }
    render(payload, preset);
    $("status").textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  } catch (error) {
    showError(`The server did not answer: ${error}`);
    $("result").dataset.state = "error";
    $("status").textContent = "";
  } finally {
    $("generate").disabled = false;
  }
}

async function start() {
  try {
    const response = await fetch("/api/presets");
    const payload = await response.json();
    limits = payload.limits;
    for (const preset of payload.presets) {
      presets[preset.name] = preset;
      $("preset").append(new Option(`${preset.name} (${preset.family || preset.kind})`,
        preset.name));
    }
    $("num").max = String(limits.max_images_per_text);
  } catch (error) {
    showError(`Could not list the models: ${error}`);
    return;
  }
  $("preset").addEventListener("change", updateForm);
  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.addEventListener("change", updateForm);
  }
  $("new-seed").addEventListener("click", () => {
    $("seed").value = String(Math.floor(Math.random() * 2147483647));
  });
  $("controls").addEventListener("submit", onSubmit);
  updateForm();
  document.body.dataset.ready = "true";
}

start();
