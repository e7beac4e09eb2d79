export const documentPath: string;
export const typesPath: string;
export function generateApiTypes(): Promise<string>;
