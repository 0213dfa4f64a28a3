import { APPS } from "../reference/apps";

/** Apps in the catalogue: the number of hypotheses the regression and incident scans control for, whether or not an app had runs. */
export const CATALOGUE_APPS = new Set(APPS.map((a) => a.nsapp)).size;
