"""The image service: signed on-demand transforms of assets (resize, crop with faces in
view, convert to WebP/AVIF), cached renditions, batch exports."""
