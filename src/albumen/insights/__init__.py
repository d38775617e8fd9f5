"""What happened and what stands out: activity, analytics, highlights, charts, PDF reports
and exports."""
