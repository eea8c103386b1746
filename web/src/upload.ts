/**
 * Resumable evidence uploads (tus), loaded only once a file is chosen
 * (upload-loader.js). Each file goes up in chunks, retries on its own when
 * the connection drops, and resumes after a reload (in the same tab) when
 * the same file is chosen again. When a file is complete its id joins the form as
 * `attachments[]`, and the file input is emptied, so the form post itself
 * stays small. Sending is held back until every upload is done.
 */
import { Upload, type UrlStorage } from "tus-js-client";

const CHUNK = 16 * 1024 * 1024;
const PREFIX = "dossier-upload::";

/**
 * What resuming needs (the upload's address on the server), kept in
 * sessionStorage, which the browser empties when the tab closes, under a
 * hash of the file: never its name or type. tus-js-client's default keeps
 * name, size and address in localStorage for good, which on a seized device
 * tells what evidence was sent, and when.
 */
const sessionUrls: UrlStorage = {
  async findAllUploads() {
    return entries(PREFIX);
  },
  async findUploadsByFingerprint(fingerprint) {
    return entries(`${PREFIX}${fingerprint}::`);
  },
  async removeUpload(key) {
    sessionStorage.removeItem(key);
  },
  async addUpload(fingerprint, upload) {
    const key = `${PREFIX}${fingerprint}::${Date.now()}`;
    sessionStorage.setItem(key, JSON.stringify({ ...upload, metadata: {} }));
    return key;
  },
};

function entries(prefix: string) {
  const found = [];
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (!key?.startsWith(prefix)) continue;
    try {
      found.push({ ...JSON.parse(sessionStorage.getItem(key) ?? ""), urlStorageKey: key });
    } catch {
      sessionStorage.removeItem(key);
    }
  }
  return found;
}

async function fingerprint(file: File): Promise<string> {
  const text = new TextEncoder().encode(`${file.name}\u0000${file.size}\u0000${file.type}\u0000${file.lastModified}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

let running = 0;

function submitButtons(form: HTMLFormElement): HTMLButtonElement[] {
  return [...form.querySelectorAll<HTMLButtonElement>("button[type=submit]:not([name=_add])")];
}

/** Holds sending back while files are still going up, and says why beside the button. */
function hold(form: HTMLFormElement, delta: number, waiting: string): void {
  running += delta;
  for (const button of submitButtons(form)) {
    button.disabled = running > 0;
    const note = button.parentElement?.querySelector<HTMLElement>(".upload-wait");
    if (running > 0 && !note) {
      const wait = document.createElement("p");
      wait.className = "hint upload-wait";
      wait.setAttribute("role", "status");
      wait.textContent = waiting;
      button.before(wait);
    } else if (running === 0) note?.remove();
  }
}

function message(error: Error): string {
  const body = (error as { originalResponse?: { getBody(): string } }).originalResponse?.getBody();
  try {
    return (JSON.parse(body ?? "") as { error: { message: string } }).error.message;
  } catch {
    return error.message;
  }
}

/** Only these get a metadata-free copy; every other file keeps its own (the server says the same per file later). */
const CLEANED_TYPES = ["image/jpeg", "image/png", "image/webp"];

/** The words the page gives the uploader (data attributes of the file input, in the page's language). */
interface Words {
  notCleaned: string;
  remove: string;
  retry: string;
  waiting: string;
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "link";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

/**
 * One file's line: its name, a progress bar, and a button to remove it
 * (which also deletes what reached the server); a failed upload says why
 * and can be tried again.
 */
function start(file: File, form: HTMLFormElement, list: HTMLElement, words: Words): void {
  const item = document.createElement("li");
  const name = document.createElement("span");
  name.textContent = `${file.name} `;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", file.name);
  const status = document.createElement("span");
  item.append(name, bar, status);
  list.append(item);
  let active = true;
  const settle = () => {
    if (active) hold(form, -1, words.waiting);
    active = false;
  };
  hold(form, 1, words.waiting);
  const upload = new Upload(file, {
    endpoint: "/uploads",
    chunkSize: CHUNK,
    retryDelays: RETRY_DELAYS,
    metadata: { filename: file.name, filetype: file.type },
    urlStorage: sessionUrls,
    fingerprint: (f) => fingerprint(f as File),
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      const percent = Math.floor((sent / total) * 100);
      bar.value = percent;
      status.textContent = ` ${percent} %`;
    },
    onSuccess() {
      const id = (upload.url ?? "").split("/").pop() ?? "";
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "attachments[]";
      hidden.value = id;
      bar.value = 100;
      status.textContent = " 100 % ✓ ";
      item.append(hidden);
      if (words.notCleaned && !CLEANED_TYPES.includes(file.type)) {
        const note = document.createElement("p");
        note.className = "note warning";
        note.textContent = words.notCleaned;
        item.append(note);
      }
      item.dataset.uploaded = id;
      settle();
    },
    onError(error) {
      status.textContent = ` ⚠ ${message(error)} `;
      item.dataset.failed = "true";
      status.after(
        button(words.retry, () => {
          item.remove();
          start(file, form, list, words);
        }),
      );
      settle();
    },
  });
  item.append(
    button(words.remove, () => {
      // Stops the upload and deletes what the server holds of it (tus termination).
      upload.abort(true).catch(() => undefined);
      settle();
      item.remove();
    }),
  );
  upload.findPreviousUploads().then((previous) => {
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    upload.start();
  });
}

/**
 * The uploader's words in the page's language, fetched once with the
 * uploader itself (not carried by every form page, which stays light).
 */
let words: Promise<Words> | undefined;
function wordsOf(): Promise<Words> {
  words ??= fetch(`/${document.documentElement.lang}/uploader.json`)
    .then((res) => (res.ok ? (res.json() as Promise<Words>) : Promise.reject(new Error(String(res.status)))))
    .catch(() => ({ notCleaned: "", remove: "✕", retry: "↻", waiting: "…" }));
  return words;
}

/** Takes over the files chosen in `input`. */
export async function upload(input: HTMLInputElement): Promise<void> {
  const form = input.form;
  const list = input.parentElement?.querySelector<HTMLElement>(".uploads");
  if (!form || !list || !input.files) return;
  const files = [...input.files];
  input.value = "";
  const said = await wordsOf();
  for (const file of files) start(file, form, list, said);
}
