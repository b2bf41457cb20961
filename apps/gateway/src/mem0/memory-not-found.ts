import { NotFoundError } from '@memgate/core';

/** mem0's 404 for an unknown memory: `{"error": "Memory not found!"}`. */
export function memoryNotFound(id: string): NotFoundError {
  return new NotFoundError({ message: 'Memory not found!', cause: { id } });
}
