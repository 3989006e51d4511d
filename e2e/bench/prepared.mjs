// A data folder for the benchmarks that start the app themselves (not through WebDriver).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A data folder whose setup is done, with no PIN: the app opens on the keypad, in demo mode;
 * with `customerDisplay`, the customer display opens with it. Needs TILL_CLI and SQLITE3. */
export function preparedDataDir(prefix, customerDisplay = false) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync(process.env.TILL_CLI, ['verify'], { env: { ...process.env, TILL_DATA_DIR: dir } });
  const sql = ["INSERT INTO settings VALUES ('setup_done', 'bench');"];
  if (customerDisplay) sql.push("INSERT INTO settings VALUES ('customer_display', 'on');");
  execFileSync(process.env.SQLITE3, [join(dir, 'ledger.sqlite'), sql.join(' ')]);
  return dir;
}
