/** The package's name and version, for the User-Agent header and the provider's version. */
import { name, version } from "../package.json";

export const PACKAGE_NAME: string = name;
export const PACKAGE_VERSION: string = version;
