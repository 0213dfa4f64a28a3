/**
 * lib/labels.ts written independently in SQL, so tests compare the dashboard's merged rows
 * ("2404" is Ubuntu 24.04, "n.d." and blanks are not reported) with SQL over the raw records.
 */
const MISSING = "('', 'n.d.', 'nd', 'n/a', 'na', 'none', 'null', 'unknown', 'not found', '-', 'not reported')";

export const OS_LABEL_SQL = `(CASE WHEN lower(trim(COALESCE(os_type, ''))) IN ${MISSING} THEN 'not reported' ELSE lower(trim(os_type)) END)`;

export const OS_VERSION_LABEL_SQL = `(CASE
  WHEN lower(trim(COALESCE(os_type, ''))) IN ${MISSING} OR lower(trim(COALESCE(os_version, ''))) IN ${MISSING} THEN 'not reported'
  WHEN lower(trim(os_type)) = 'ubuntu' AND trim(os_version) GLOB '[0-9][0-9][0-9][0-9]' THEN substr(trim(os_version), 1, 2) || '.' || substr(trim(os_version), 3)
  ELSE trim(os_version) END)`;

export const PVE_LABEL_SQL = `(CASE WHEN lower(trim(COALESCE(pve_version, ''))) IN ${MISSING} THEN 'not reported' ELSE trim(pve_version) END)`;

export const METHOD_LABEL_SQL = `(CASE WHEN lower(trim(COALESCE(method, ''))) IN ${MISSING} THEN 'not reported' ELSE trim(method) END)`;

/** lib/labels.ts osLabel: "debian 13", "debian (version not reported)", "not reported". */
export const OS_FULL_LABEL_SQL = `(CASE WHEN ${OS_LABEL_SQL} = 'not reported' THEN 'not reported' WHEN ${OS_VERSION_LABEL_SQL} = 'not reported' THEN ${OS_LABEL_SQL} || ' (version not reported)' ELSE ${OS_LABEL_SQL} || ' ' || ${OS_VERSION_LABEL_SQL} END)`;
