/**
 * lib/labels.ts written independently in SQL, so tests compare the dashboard's merged rows
 * ("2404" is Ubuntu 24.04, "n.d." and blanks are not reported) with SQL over the raw records.
 */
const MISSING = "('', 'n.d.', 'nd', 'n/a', 'na', 'none', 'null', 'unknown', 'not found', '-')";

/** SQL: the column holds one of the spellings lib/labels.ts shows as "not reported". */
export const notReportedSql = (column: string) => `lower(trim(COALESCE(${column}, ''))) IN ${MISSING}`;

export const OS_LABEL_SQL = `(CASE WHEN lower(trim(COALESCE(os_type, ''))) IN ${MISSING} THEN 'not reported' ELSE lower(trim(os_type)) END)`;

export const OS_VERSION_LABEL_SQL = `(CASE
  WHEN lower(trim(COALESCE(os_type, ''))) IN ${MISSING} OR lower(trim(COALESCE(os_version, ''))) IN ${MISSING} THEN 'not reported'
  WHEN lower(trim(os_type)) = 'ubuntu' AND trim(os_version) GLOB '[0-9][0-9][0-9][0-9]' THEN substr(trim(os_version), 1, 2) || '.' || substr(trim(os_version), 3)
  ELSE trim(os_version) END)`;
