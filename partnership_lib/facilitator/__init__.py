"""The facilitator's side of the day.

- :mod:`.room`: scanning the folder of share files (:class:`~.room.RoomScanner`);
- :mod:`.views`: the room's seven views, each a table, a chart and a description;
- :mod:`.report`: the printable room report;
- :mod:`.demo`: a rehearsal room of fictional learners;
- :mod:`.board`: the live board the facilitator projects (the only widget module here).
"""
