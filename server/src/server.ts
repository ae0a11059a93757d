// placeholder: the LSP adapter lands here
