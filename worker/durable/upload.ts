import { DurableObject } from "cloudflare:workers";

/**
 * One object per resumable upload, tracking its R2 multipart upload.
 * Declared now so the binding and its storage class exist from the first
 * deployment (a Durable Object class cannot change storage backend later);
 * the tus protocol arrives with the evidence work (issue 5).
 */
export class Upload extends DurableObject<Env> {}
