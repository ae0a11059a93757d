// placeholder: the CLI adapter lands here
