import { expect } from "vitest";
import { call } from "./http.ts";

const TUS = { "Tus-Resumable": "1.0.0" };

function b64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** POST /uploads: returns the upload's id (its Location's last segment). */
export async function createUpload(length: number, filename: string, filetype = ""): Promise<string> {
  const res = await call("/uploads", {
    method: "POST",
    headers: {
      ...TUS,
      "Upload-Length": String(length),
      "Upload-Metadata": `filename ${b64(filename)},filetype ${b64(filetype)}`,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (res.headers.get("Location") ?? "").split("/").pop() as string;
}

export function patch(id: string, offset: number, body: BodyInit): Promise<Response> {
  return call(`/uploads/${id}`, {
    method: "PATCH",
    headers: { ...TUS, "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" },
    body,
  });
}

export async function offsetOf(id: string): Promise<number | null> {
  const res = await call(`/uploads/${id}`, { method: "HEAD", headers: TUS });
  if (res.status === 404) return null;
  expect(res.status).toBe(200);
  return Number(res.headers.get("Upload-Offset"));
}

/** Uploads `bytes` in PATCHes of `chunk` bytes; returns the upload id. */
export async function uploadAll(bytes: Uint8Array, filename: string, chunk = bytes.length): Promise<string> {
  const id = await createUpload(bytes.length, filename);
  for (let at = 0; at < bytes.length; at += chunk) {
    const res = await patch(id, at, bytes.slice(at, at + chunk));
    expect(res.status, await res.clone().text()).toBe(204);
  }
  return id;
}

/** A body that delivers `bytes` and then fails, as a dropped connection does. */
export function cutStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        controller.enqueue(bytes);
        sent = true;
      } else {
        controller.error(new Error("connection lost"));
      }
    },
  });
}
