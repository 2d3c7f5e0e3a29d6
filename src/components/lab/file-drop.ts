/** A file input and its drop zone: `take` gets the one file chosen or dropped (the input is cleared for the next). */
export function onFileChosen(input: HTMLInputElement | null, drop: HTMLElement | null, take: (f: File) => void): void {
  input?.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) take(f);
    input.value = '';
  });
  drop?.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragover');
  });
  drop?.addEventListener('dragleave', () => drop.classList.remove('dragover'));
  drop?.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragover');
    const f = e.dataTransfer?.files[0];
    if (f) take(f);
  });
}
