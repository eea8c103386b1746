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

function hold(form: HTMLFormElement, delta: number): void {
  running += delta;
  for (const button of submitButtons(form)) button.disabled = running > 0;
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

function start(file: File, form: HTMLFormElement, list: HTMLElement, notCleaned: string): void {
  const item = document.createElement("li");
  item.textContent = `${file.name} …`;
  list.append(item);
  hold(form, 1);
  const upload = new Upload(file, {
    endpoint: "/uploads",
    chunkSize: CHUNK,
    retryDelays: RETRY_DELAYS,
    metadata: { filename: file.name, filetype: file.type },
    urlStorage: sessionUrls,
    fingerprint: (f) => fingerprint(f as File),
    removeFingerprintOnSuccess: true,
    onProgress(sent, total) {
      item.textContent = `${file.name} — ${Math.floor((sent / total) * 100)} %`;
    },
    onSuccess() {
      const id = (upload.url ?? "").split("/").pop() ?? "";
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "attachments[]";
      hidden.value = id;
      item.textContent = `${file.name} — 100 % ✓`;
      item.append(hidden);
      if (notCleaned && !CLEANED_TYPES.includes(file.type)) {
        const note = document.createElement("p");
        note.className = "note warning";
        note.textContent = notCleaned;
        item.append(note);
      }
      item.dataset.uploaded = id;
      hold(form, -1);
    },
    onError(error) {
      item.textContent = `${file.name} — ⚠ ${message(error)}`;
      item.dataset.failed = "true";
      hold(form, -1);
    },
  });
  upload.findPreviousUploads().then((previous) => {
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    upload.start();
  });
}

/** Takes over the files chosen in `input`. */
export function upload(input: HTMLInputElement): void {
  const form = input.form;
  const list = input.parentElement?.querySelector<HTMLElement>(".uploads");
  if (!form || !list || !input.files) return;
  for (const file of input.files) start(file, form, list, input.dataset.notCleaned ?? "");
  input.value = "";
}
