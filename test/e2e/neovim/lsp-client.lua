-- Headless Neovim as a plain LSP client of the airgap-lint server (test/e2e.test.ts runs it).
-- Works on Debian's Neovim 0.7 (vim.lsp.start_client + buf_attach_client; vim.lsp.start on 0.8+).
--
-- Opens TEST_FILE, waits for the server's diagnostics, asks for the code actions of the
-- diagnostic with code EXPECT_CODE, applies the one titled FIX_TITLE, waits for the server to
-- re-check the edited buffer, writes the file and quits. Everything it saw goes to OUT_JSON;
-- the mocha test makes the assertions. Exit: 0 = the protocol flow completed, 1 = a step did
-- not happen (see OUT_JSON), 2 = Lua error.
local out_path = assert(os.getenv('OUT_JSON'), 'OUT_JSON not set')
local v = vim.version()
local result = { nvim = v.major .. '.' .. v.minor .. '.' .. v.patch, steps = {}, errors = {}, published = {} }

local function finish(code)
  result.exit_code = code
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

local function step(name, ok)
  result.steps[#result.steps + 1] = name
  if not ok then result.failed_step = name end
  return ok
end

local function main()
  local cmd = vim.fn.json_decode((assert(os.getenv('LSP_CMD'), 'LSP_CMD not set')))
  local file = assert(os.getenv('TEST_FILE'), 'TEST_FILE not set')
  local root = assert(os.getenv('ROOT_DIR'), 'ROOT_DIR not set')
  local expect_code = assert(os.getenv('EXPECT_CODE'), 'EXPECT_CODE not set')
  local fix_title = assert(os.getenv('FIX_TITLE'), 'FIX_TITLE not set')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)

  -- Every publishDiagnostics for this file, as sent; the default handler still runs.
  local default_pd = vim.lsp.handlers['textDocument/publishDiagnostics']
  local function has_code(diags)
    for _, d in ipairs(diags) do if d.code == expect_code then return d end end
    return nil
  end
  local config = {
    name = 'airgap-lint',
    cmd = cmd,
    root_dir = root,
    settings = { airgapLint = {} },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, res, ctx, cfg)
        if res and res.uri == uri then result.published[#result.published + 1] = res.diagnostics end
        return default_pd(err, res, ctx, cfg)
      end,
    },
    on_init = function(client) result.server_info = client.server_capabilities and client.name end,
    on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  if not step('client started', client_id ~= nil) then return finish(1) end

  -- 1) our diagnostics arrive (pushed: Neovim 0.7 has no pull diagnostics)
  local diag
  vim.wait(30000, function()
    if result.server_exit then return true end
    local last = result.published[#result.published]
    diag = last and has_code(last)
    return diag ~= nil
  end, 50)
  if not step('diagnostics received', diag ~= nil) then return finish(1) end
  result.diagnostic = diag
  result.vim_diagnostic_count = #vim.diagnostic.get(bufnr)

  -- 2) code actions for it
  local params = { textDocument = { uri = uri }, range = diag.range, context = { diagnostics = { diag }, only = { 'quickfix' } } }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 15000)
  if not step('code actions answered', responses ~= nil) then result.errors[#result.errors + 1] = tostring(err); return finish(1) end
  local chosen
  result.titles = {}
  for _, r in pairs(responses) do
    if r.error then result.errors[#result.errors + 1] = r.error end
    for _, a in ipairs(r.result or {}) do
      result.titles[#result.titles + 1] = a.title
      if a.title == fix_title then chosen = a end
    end
  end
  if not step('fix offered', chosen ~= nil and chosen.edit ~= nil) then return finish(1) end
  result.action = chosen

  -- 3) apply its WorkspaceEdit as Neovim applies any other, then wait for the re-check
  local client = vim.lsp.get_client_by_id(client_id)
  local before = #result.published
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  local rechecked = vim.wait(30000, function()
    return #result.published > before and has_code(result.published[#result.published]) == nil
  end, 50)
  if not step('diagnostic gone after the fix', rechecked) then return finish(1) end

  -- 4) write the file; the test compares it
  vim.cmd('silent write')
  step('written', true)
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  return finish(0)
end

local ok, e = xpcall(main, debug.traceback)
if not ok then
  result.errors[#result.errors + 1] = tostring(e)
  finish(2)
end
