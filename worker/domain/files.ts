/** What evidence files may be, as the pages say it and the file checks enforce it. */

/** What the allowed-types message lists. */
export const ALLOWED_TYPES =
  "PDF, JPEG, PNG, WebP, HEIC, MP4, QuickTime, WebM, MP3, M4A, OGG, DOCX, XLSX, ODT, TXT, CSV";

/** Uploads sent with the form itself (no JavaScript): at most this many bytes each. */
export const FORM_FILE_MAX = 25 * 1024 * 1024;
