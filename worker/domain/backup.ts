/** Where the backup's routes answer (a token with the `backup` scope, not a signed-in admin). */
export const BACKUP_PATH = "/admin/backup";

/** A restored file larger than this arrives in parts of exactly this size (R2 wants equal parts of at least 5 MiB). */
export const FILE_PART = 16 * 1024 * 1024;
