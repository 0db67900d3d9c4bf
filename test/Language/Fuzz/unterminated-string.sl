pipeline p {
  log "never closed
  log "\
