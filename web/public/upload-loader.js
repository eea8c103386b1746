// Loads the resumable uploader only when a file is chosen, so the form itself stays light.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.matches("input[type=file][data-upload]") && input.files?.length) {
    import("/js/upload.js").then((m) => m.upload(input));
  }
});
