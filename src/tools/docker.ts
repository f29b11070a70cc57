// Questions to the local Docker engine that several parts ask.
import { exec } from './exec.ts';

/** Whether the local engine holds the image (by tag or digest); never pulls. */
export async function dockerImagePresent(image: string): Promise<boolean> {
  return (await exec('docker', ['image', 'inspect', '-f', '{{.Id}}', image])).exitCode === 0;
}
